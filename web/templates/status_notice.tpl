{{%AUTOESCAPE context="HTML"}}<section class="panel panel--form" aria-labelledby="notice-heading">
  <h1 id="notice-heading">{{HEADING}}</h1>
  <p>{{MESSAGE}}</p>
{{#HAS_SECRET}}  <p>Your webhook signing secret, shown only this once; keep it to check the <code>X-Lifeline-Signature</code> header:</p>
  <p><code class="secret">{{SECRET}}</code></p>
  <p class="muted">Each POST carries <code>X-Lifeline-Timestamp</code> (Unix seconds) and <code>X-Lifeline-Signature: sha256=&lt;hex HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;"&gt;</code>. Refuse timestamps more than five minutes old.</p>
  <p class="muted">To stop the webhook, POST to <code>{{UNSUBSCRIBE_URL}}</code>.</p>{{/HAS_SECRET}}
{{#HAS_MANAGE}}  <form method="post" action="{{MANAGE_ACTION}}" class="stack">
    <fieldset class="field choices">
      <legend>Or choose what to hear about. None ticked: every component.</legend>
{{#COMPONENT_OPTION}}      <label class="choice" for="component-{{ID}}"><input type="checkbox" id="component-{{ID}}" name="component" value="{{ID}}"{{#CHECKED}} checked{{/CHECKED}}><span>{{NAME}}</span></label>
{{/COMPONENT_OPTION}}    </fieldset>
    <button type="submit" class="button">Save my choice</button>
  </form>{{/HAS_MANAGE}}
{{#HAS_ACTION}}  <form method="post" action="{{ACTION}}">
    <button type="submit" class="button button--primary">{{BUTTON}}</button>
  </form>{{/HAS_ACTION}}
  <p class="muted"><a href="/status">Back to the status page</a></p>
</section>
