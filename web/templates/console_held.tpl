{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Held mail</h1>
    <p class="muted">Messages from senders the desk does not know, kept for review because unknown senders are set to
      be held. Take one in to open a ticket and add its sender as a contact, or discard it.</p>
  </div>
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#EMPTY}}
<div class="panel empty">
  <h2>Nothing held</h2>
  <p class="muted">Every message that arrived was taken in.</p>
</div>
{{/EMPTY}}
{{#HELD}}
<section class="panel held" aria-label="Held message from {{FROM}}">
  <h2>{{SUBJECT}}</h2>
  <p class="muted">From {{FROM}} · {{WHEN}} · {{REASON}}</p>
  <div class="actions">
    <form method="post" action="/console/held/{{ID}}/release">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <button type="submit" class="button">Take in as a ticket</button>
    </form>
    <form method="post" action="/console/held/{{ID}}/discard">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <button type="submit" class="button button--quiet">Discard</button>
    </form>
  </div>
</section>
{{/HELD}}
