{{%AUTOESCAPE context="HTML"}}<ol class="deliveries">
{{#DELIVERY}}
  <li class="delivery delivery--{{STATE}}" id="outbox-{{ID}}" data-state="{{STATE}}">
    <div class="delivery__meta">
      <span class="delivery__kind">{{KIND}}</span>
      <span class="delivery-state delivery-state--{{STATE}}">{{STATE_LABEL}}</span>
{{#HAS_TICKET}}      <a class="ticket-ref" href="/console/tickets/{{TICKET}}#email">{{TICKET}}</a>{{/HAS_TICKET}}
      <span class="delivery__time">{{WHEN}}</span>
    </div>
    <p class="delivery__to">To {{RECIPIENT}}{{#HAS_SUBJECT}} · <span class="delivery__subject">{{SUBJECT}}</span>{{/HAS_SUBJECT}}</p>
    <p class="delivery__attempts muted small">{{ATTEMPTS}}</p>
{{#HAS_BOUNCE}}    <p class="delivery__bounce" role="note"><strong>Bounced:</strong> {{BOUNCE}}</p>{{/HAS_BOUNCE}}
{{#HAS_ERROR}}    <p class="delivery__error"><span class="muted">Last error:</span> <code>{{ERROR}}</code></p>{{/HAS_ERROR}}
{{#DEAD}}
    <form method="post" action="/console/outbox/{{ID}}/retry" class="inline-form delivery__retry">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <input type="hidden" name="return_to" value="{{RETURN_TO}}">
      <button type="submit" class="button button--small">Retry</button>
    </form>
{{/DEAD}}
  </li>
{{/DELIVERY}}
</ol>
