{{%AUTOESCAPE context="HTML"}}<section id="conversation" class="conversation" aria-labelledby="thread-heading">
  <h2 id="thread-heading">Conversation</h2>
{{#HAS_FLASH}}  <p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
  <ol class="thread">
{{#MESSAGE}}
    <li class="message message--{{KIND}}" id="m-{{ID}}">
      <div class="message__meta">
        <span class="message__author">{{AUTHOR}}</span>
{{#FROM_TEAM}}        <span class="tag tag--agent">Support team</span>{{/FROM_TEAM}}
        <span class="message__time">{{TIME}}</span>
      </div>
      <div class="message__body preformatted">{{BODY:p}}</div>
{{>ATTACHMENTS}}
    </li>
{{/MESSAGE}}
  </ol>
{{#HAS_OTHER_ATTACHMENTS}}  <div class="panel other-attachments">
    <h3>Attachments</h3>
{{>OTHER_ATTACHMENTS}}
  </div>{{/HAS_OTHER_ATTACHMENTS}}
{{#HAS_ATTACHMENTS_ERROR}}  <p class="notice notice--warning" role="status">The attachments could not be listed: {{ATTACHMENTS_ERROR}}</p>{{/HAS_ATTACHMENTS_ERROR}}
{{#CLOSED}}  <p class="notice notice--info">This ticket is closed. If the problem is back, please open a new ticket.</p>{{/CLOSED}}
{{#CAN_REPLY}}
  <form method="post" action="/portal/tickets/{{REF}}/replies" class="panel stack" hx-post="/portal/tickets/{{REF}}/replies" hx-target="#conversation" hx-swap="outerHTML" hx-disabled-elt="find button">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <div class="field">
      <label for="reply-body">Add a reply</label>
{{#HAS_REPLY_ERROR}}      <p class="field-error" id="reply-error" role="alert">{{REPLY_ERROR}}</p>{{/HAS_REPLY_ERROR}}
      <textarea id="reply-body" name="body" rows="4"{{#HAS_REPLY_ERROR}} aria-invalid="true" aria-describedby="reply-error"{{/HAS_REPLY_ERROR}}>{{REPLY_TEXT:p}}</textarea>
    </div>
    <button type="submit" class="button button--primary">Send reply</button>
  </form>
{{/CAN_REPLY}}
</section>
