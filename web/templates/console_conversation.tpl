{{%AUTOESCAPE context="HTML"}}<section id="conversation" class="conversation" aria-labelledby="thread-heading">
  <h2 id="thread-heading">Conversation</h2>
{{#HAS_FLASH}}  <p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
  <ol class="thread">
{{#MESSAGE}}
    <li class="message message--{{KIND}}" id="m-{{ID}}">
      <div class="message__meta">
        <span class="message__author">{{AUTHOR}}</span>
{{#INTERNAL}}        <span class="tag tag--internal">Internal note · not visible to the customer</span>{{/INTERNAL}}
{{#CUSTOMER}}        <span class="tag">Customer</span>{{/CUSTOMER}}
{{#AGENT}}        <span class="tag tag--agent">Reply to customer</span>{{/AGENT}}
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
  <div class="composer">
    <form method="post" action="/console/tickets/{{REF}}/replies" class="panel stack composer__reply" hx-post="/console/tickets/{{REF}}/replies" hx-target="#conversation" hx-swap="outerHTML" hx-disabled-elt="find button">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <div class="field">
        <label for="reply-body">Reply to {{REQUESTER_NAME}}</label>
{{#HAS_REPLY_ERROR}}        <p class="field-error" id="reply-error" role="alert">{{REPLY_ERROR}}</p>{{/HAS_REPLY_ERROR}}
        <textarea id="reply-body" name="body" rows="5"{{#HAS_REPLY_ERROR}} aria-invalid="true" aria-describedby="reply-error"{{/HAS_REPLY_ERROR}}>{{REPLY_TEXT:p}}</textarea>
        <p class="hint">The customer sees this reply.</p>
      </div>
      <button type="submit" class="button button--primary">Send reply</button>
    </form>
    <details class="panel composer__note"{{#NOTE_OPEN}} open{{/NOTE_OPEN}}>
      <summary>Add an internal note</summary>
      <form method="post" action="/console/tickets/{{REF}}/notes" class="stack" hx-post="/console/tickets/{{REF}}/notes" hx-target="#conversation" hx-swap="outerHTML" hx-disabled-elt="find button">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <div class="field">
          <label for="note-body">Internal note</label>
{{#HAS_NOTE_ERROR}}          <p class="field-error" id="note-error" role="alert">{{NOTE_ERROR}}</p>{{/HAS_NOTE_ERROR}}
          <textarea id="note-body" name="body" rows="3"{{#HAS_NOTE_ERROR}} aria-invalid="true" aria-describedby="note-error"{{/HAS_NOTE_ERROR}}>{{NOTE_TEXT:p}}</textarea>
          <p class="hint">Only staff see notes.</p>
        </div>
        <button type="submit" class="button">Add note</button>
      </form>
    </details>
  </div>
</section>
