{{%AUTOESCAPE context="HTML"}}<section class="panel panel--form" aria-labelledby="subscribe-heading">
  <h1 id="subscribe-heading">Get status updates</h1>
  <p class="muted">We tell you when an incident affects the components you choose, and when it is resolved. Every message has a link to stop them. Back to the <a href="/status">status page</a>.</p>
{{#HAS_ERROR}}  <p class="notice notice--error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
  <form method="post" action="/status/subscribe" class="stack">
    <fieldset class="field choices">
      <legend>How should we tell you?</legend>
{{#HAS_CHANNEL_ERROR}}      <p class="field-error">{{CHANNEL_ERROR}}</p>{{/HAS_CHANNEL_ERROR}}
{{#CHANNEL_OPTION}}      <label class="choice" for="channel-{{VALUE}}"><input type="radio" id="channel-{{VALUE}}" name="channel" value="{{VALUE}}" required{{#CHECKED}} checked{{/CHECKED}}><span>{{LABEL}}</span></label>
{{/CHANNEL_OPTION}}    </fieldset>
    <div class="field">
      <label for="address">Email address, phone number (+44 20 7946 0958) or webhook URL (https://…)</label>
{{#HAS_ADDRESS_ERROR}}      <p class="field-error" id="address-error">{{ADDRESS_ERROR}}</p>{{/HAS_ADDRESS_ERROR}}
      <input id="address" name="address" type="text" maxlength="2000" required value="{{ADDRESS}}"{{#HAS_ADDRESS_ERROR}} aria-invalid="true" aria-describedby="address-error"{{/HAS_ADDRESS_ERROR}}>
    </div>
    <fieldset class="field choices">
      <legend>Which components? None ticked: all of them, including ones added later.</legend>
{{#HAS_COMPONENTS_ERROR}}      <p class="field-error">{{COMPONENTS_ERROR}}</p>{{/HAS_COMPONENTS_ERROR}}
{{#COMPONENT_OPTION}}      <label class="choice" for="component-{{ID}}"><input type="checkbox" id="component-{{ID}}" name="component" value="{{ID}}"{{#CHECKED}} checked{{/CHECKED}}><span>{{NAME}}</span></label>
{{/COMPONENT_OPTION}}    </fieldset>
    <button type="submit" class="button button--primary">Subscribe</button>
  </form>
</section>
