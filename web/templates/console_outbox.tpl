{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Undelivered email</h1>
    <p class="muted">Messages the desk gave up sending, newest first. Retry queues one again.</p>
  </div>
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#EMPTY}}
<div class="panel empty">
  <h2>Nothing undelivered</h2>
  <p class="muted">Every outbound email was sent or is still being tried.</p>
</div>
{{/EMPTY}}
{{#HAS_DEAD}}
<section class="panel" id="outbox" aria-labelledby="outbox-heading">
  <h2 id="outbox-heading">{{COUNT}}</h2>
{{>DELIVERIES}}
</section>
{{/HAS_DEAD}}
