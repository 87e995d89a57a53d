{{%AUTOESCAPE context="HTML"}}<header class="ticket-head{{#OVERDUE}} is-overdue{{/OVERDUE}}" id="ticket-head"{{#OOB}} hx-swap-oob="true"{{/OOB}}>
  <p class="eyebrow"><span class="ticket-ref">{{REF}}</span> · {{ORGANIZATION}}</p>
  <h1 class="ticket-subject">{{SUBJECT}}</h1>
  <dl class="facts">
    <div><dt>Priority</dt><dd><span class="badge badge--{{PRIORITY_CLASS}}">{{PRIORITY}} · {{PRIORITY_WORD}}</span></dd></div>
    <div><dt>Status</dt><dd><span class="status status--{{STATUS}}">{{STATUS_LABEL}}</span></dd></div>
    <div><dt>Assignee</dt><dd id="assignee">{{ASSIGNEE}}</dd></div>
    <div><dt>Requester</dt><dd>{{REQUESTER_NAME}}<br><span class="muted small">{{REQUESTER_EMAIL}}</span></dd></div>
    <div><dt>First response</dt><dd><span class="due due--{{DUE_CLASS}}">{{#OVERDUE}}<span class="due__icon" aria-hidden="true">!</span>{{/OVERDUE}}{{DUE_RELATIVE}}</span><br><span class="muted small">target {{DUE}}</span></dd></div>
    <div><dt>Opened</dt><dd>{{CREATED}}</dd></div>
  </dl>
</header>
