{{%AUTOESCAPE context="HTML"}}<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/portal">Your tickets</a> <span aria-hidden="true">/</span> {{REF}}</nav>
{{#CREATED}}
<section class="acknowledged" id="acknowledgement" aria-labelledby="ack-heading">
  <h1 id="ack-heading">We have your request</h1>
  <dl class="ack-facts">
    <div><dt>Your reference</dt><dd class="ack-ref">{{REF}}</dd></div>
    <div><dt>Who is on it</dt><dd class="ack-responder">{{RESPONDER}}</dd></div>
    <div><dt>A person will answer by</dt><dd class="ack-respond-by">{{RESPOND_BY}} <span class="small">({{RESPOND_WITHIN}})</span></dd></div>
  </dl>
  <details class="ack-text">
    <summary>The acknowledgement we sent you</summary>
    <div class="preformatted">{{ACKNOWLEDGEMENT:p}}</div>
  </details>
</section>
{{/CREATED}}
<header class="ticket-head">
  <p class="eyebrow"><span class="ticket-ref">{{REF}}</span> · opened by {{REQUESTER_NAME}}</p>
  <h2 class="ticket-subject">{{SUBJECT}}</h2>
  <dl class="facts">
    <div><dt>Status</dt><dd><span class="status status--{{STATUS}}">{{STATUS_LABEL}}</span></dd></div>
    <div><dt>Priority</dt><dd><span class="badge badge--{{PRIORITY_CLASS}}">{{PRIORITY}} · {{PRIORITY_WORD}}</span></dd></div>
    <div><dt>Handled by</dt><dd>{{ASSIGNEE}}</dd></div>
{{#AWAITING_FIRST_RESPONSE}}    <div><dt>We will answer by</dt><dd>{{DUE}}</dd></div>{{/AWAITING_FIRST_RESPONSE}}
    <div><dt>Opened</dt><dd>{{CREATED}}</dd></div>
  </dl>
</header>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{>CONVERSATION}}
{{#CAN_RESOLVE}}
<form method="post" action="/portal/tickets/{{REF}}/status" class="inline-form resolve">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="status" value="resolved">
  <button type="submit" class="button button--quiet">This is solved — mark it resolved</button>
</form>
{{/CAN_RESOLVE}}
{{#CAN_REOPEN}}
<form method="post" action="/portal/tickets/{{REF}}/status" class="inline-form resolve">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="status" value="open">
  <button type="submit" class="button">It is not solved — reopen it</button>
</form>
{{/CAN_REOPEN}}
{{#HAS_ACKNOWLEDGEMENT}}
<details class="panel acknowledgement">
  <summary>The acknowledgement we sent when you opened this ticket</summary>
  <div class="preformatted">{{ACKNOWLEDGEMENT:p}}</div>
</details>
{{/HAS_ACKNOWLEDGEMENT}}
