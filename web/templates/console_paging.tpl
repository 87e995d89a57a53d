{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>{{HEADING}}</h1>
    <p class="muted">When an escalation pages {{PERSON}}, each notification rule sends a message to one contact method, at once or after a delay. Every message carries a link to acknowledge.</p>
  </div>
  {{>TABS}}
</div>
{{#CAN_CHOOSE}}<form method="get" action="/console/paging" class="filters paging-person">
  <div class="field field--inline">
    <label for="paging-user">Person</label>
    <select id="paging-user" name="user">
{{#PERSON_OPTION}}      <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/PERSON_OPTION}}    </select>
    <button type="submit" class="button button--small">Show</button>
  </div>
</form>{{/CAN_CHOOSE}}
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_WARNING}}<p class="notice notice--warning" role="alert" id="no-rules-warning">{{WARNING}}</p>{{/HAS_WARNING}}
{{#HAS_SMS_NOTE}}<p class="notice notice--warning" role="status" id="sms-note">{{SMS_NOTE}}</p>{{/HAS_SMS_NOTE}}
<div class="paging-layout">
<section class="panel" aria-labelledby="methods-heading" id="contact-methods">
  <h2 id="methods-heading">Contact methods</h2>
{{#NO_METHODS}}  <p class="muted">No contact methods yet.</p>{{/NO_METHODS}}
{{#HAS_METHODS}}  <ul class="paging-list">
{{#METHOD}}    <li class="paging-item" id="method-{{ID}}">
      <span class="paging-item__what"><strong>{{CHANNEL}}</strong> <code>{{ADDRESS}}</code> <span class="muted small">{{LABEL}}</span></span>
      <form method="post" action="/console/paging/contact-methods/{{ID}}/delete" class="inline-form">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <input type="hidden" name="user" value="{{USER}}">
        <button type="submit" class="button button--quiet button--small">Remove<span class="visually-hidden"> {{CHANNEL}} {{ADDRESS}} and its rules</span></button>
      </form>
    </li>
{{/METHOD}}  </ul>{{/HAS_METHODS}}
  <form method="post" action="/console/paging/contact-methods" class="stack paging-form" id="method-form">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <input type="hidden" name="user" value="{{USER}}">
    <h3>Add a contact method</h3>
{{#HAS_METHOD_ERROR}}    <p class="field-error" role="alert" id="method-error">{{METHOD_ERROR}}</p>{{/HAS_METHOD_ERROR}}
    <div class="field-row">
      <div class="field">
        <label for="method-channel">Channel</label>
        <select id="method-channel" name="channel"{{#HAS_CHANNEL_ERROR}} aria-invalid="true" aria-describedby="method-channel-error"{{/HAS_CHANNEL_ERROR}}>
{{#CHANNEL_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/CHANNEL_OPTION}}        </select>
{{#HAS_CHANNEL_ERROR}}        <p class="field-error" id="method-channel-error">{{CHANNEL_ERROR}}</p>{{/HAS_CHANNEL_ERROR}}
      </div>
      <div class="field">
        <label for="method-address">Address</label>
        <input type="text" id="method-address" name="address" value="{{ADDRESS}}" required aria-describedby="method-address-hint{{#HAS_ADDRESS_ERROR}} method-address-error{{/HAS_ADDRESS_ERROR}}"{{#HAS_ADDRESS_ERROR}} aria-invalid="true"{{/HAS_ADDRESS_ERROR}}>
        <p class="hint" id="method-address-hint">A phone number like +14155550100, an email address, or an https:// URL.</p>
{{#HAS_ADDRESS_ERROR}}        <p class="field-error" id="method-address-error">{{ADDRESS_ERROR}}</p>{{/HAS_ADDRESS_ERROR}}
      </div>
      <div class="field">
        <label for="method-label">Label <span class="muted small">(optional)</span></label>
        <input type="text" id="method-label" name="label" value="{{METHOD_LABEL}}" maxlength="100" placeholder="work mobile"{{#HAS_LABEL_ERROR}} aria-invalid="true" aria-describedby="method-label-error"{{/HAS_LABEL_ERROR}}>
{{#HAS_LABEL_ERROR}}        <p class="field-error" id="method-label-error">{{LABEL_ERROR}}</p>{{/HAS_LABEL_ERROR}}
      </div>
    </div>
    <div class="actions"><button type="submit" class="button">Add contact method</button></div>
  </form>
</section>
<section class="panel" aria-labelledby="rules-heading" id="rules">
  <h2 id="rules-heading">Notification rules</h2>
{{#NO_RULES}}  <p class="muted">No notification rules yet.</p>{{/NO_RULES}}
{{#HAS_RULES}}  <ol class="paging-list">
{{#RULE}}    <li class="paging-item" id="rule-{{ID}}">
      <span class="paging-item__what">{{TEXT}}</span>
      <form method="post" action="/console/paging/rules/{{ID}}/delete" class="inline-form">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <input type="hidden" name="user" value="{{USER}}">
        <button type="submit" class="button button--quiet button--small">Remove<span class="visually-hidden"> rule: {{TEXT}}</span></button>
      </form>
    </li>
{{/RULE}}  </ol>{{/HAS_RULES}}
{{#NO_METHODS}}  <p class="hint">Add a contact method first; a rule says when to use it.</p>{{/NO_METHODS}}
{{#HAS_METHODS}}  <form method="post" action="/console/paging/rules" class="stack paging-form" id="rule-form">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <input type="hidden" name="user" value="{{USER}}">
    <h3>Add a notification rule</h3>
{{#HAS_RULE_ERROR}}    <p class="field-error" role="alert" id="rule-error">{{RULE_ERROR}}</p>{{/HAS_RULE_ERROR}}
    <div class="field-row">
      <div class="field">
        <label for="rule-method">Send to</label>
        <select id="rule-method" name="contact_method"{{#HAS_RULE_METHOD_ERROR}} aria-invalid="true" aria-describedby="rule-method-error"{{/HAS_RULE_METHOD_ERROR}}>
{{#RULE_METHOD_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/RULE_METHOD_OPTION}}        </select>
{{#HAS_RULE_METHOD_ERROR}}        <p class="field-error" id="rule-method-error">{{RULE_METHOD_ERROR}}</p>{{/HAS_RULE_METHOD_ERROR}}
      </div>
      <div class="field">
        <label for="rule-delay">After (minutes)</label>
        <input type="number" id="rule-delay" name="delay" value="{{DELAY}}" min="0" max="{{MAX_DELAY}}" aria-describedby="rule-delay-hint{{#HAS_DELAY_ERROR}} rule-delay-error{{/HAS_DELAY_ERROR}}"{{#HAS_DELAY_ERROR}} aria-invalid="true"{{/HAS_DELAY_ERROR}}>
        <p class="hint" id="rule-delay-hint">0: at once, when the page starts.</p>
{{#HAS_DELAY_ERROR}}        <p class="field-error" id="rule-delay-error">{{DELAY_ERROR}}</p>{{/HAS_DELAY_ERROR}}
      </div>
    </div>
    <div class="actions"><button type="submit" class="button">Add rule</button></div>
  </form>{{/HAS_METHODS}}
</section>
</div>
