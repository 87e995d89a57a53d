{{%AUTOESCAPE context="HTML"}}<section class="panel email-panel" id="email" aria-labelledby="email-heading"{{#OOB}} hx-swap-oob="true"{{/OOB}}>
  <h2 id="email-heading">Email</h2>
{{#HAS_ERROR}}  <p class="notice notice--error" role="alert">The outbound mail could not be listed: {{ERROR}}</p>{{/HAS_ERROR}}
{{#EMPTY}}  <p class="muted">No email was sent for this ticket.</p>{{/EMPTY}}
{{#HAS_DEAD}}  <p class="notice notice--error" role="status">{{DEAD_COUNT}} could not be delivered. Check the address, then retry.</p>{{/HAS_DEAD}}
{{>DELIVERIES}}
</section>
