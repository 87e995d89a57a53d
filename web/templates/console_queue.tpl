{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Queue</h1>
    <p class="muted">Open tickets, earliest first-response deadline first. <strong>{{COUNT}}</strong>{{#HAS_OVERDUE}} · <strong class="text-overdue">{{OVERDUE_COUNT}}</strong>{{/HAS_OVERDUE}}</p>
  </div>
  <form method="get" action="/console" class="filters" aria-label="Filter the queue">
    <div class="field field--inline">
      <label for="filter-priority">Priority</label>
      <select id="filter-priority" name="priority">
{{#PRIORITY_OPTION}}        <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/PRIORITY_OPTION}}      </select>
    </div>
    <div class="field field--inline">
      <label for="filter-assignee">Assignee</label>
      <select id="filter-assignee" name="assignee">
{{#ASSIGNEE_OPTION}}        <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ASSIGNEE_OPTION}}      </select>
    </div>
    <button type="submit" class="button">Filter</button>
{{#FILTERED}}    <a class="button button--quiet" href="/console">Clear</a>{{/FILTERED}}
  </form>
</div>
{{#HAS_NOTICE}}<p class="notice notice--warning" role="status">{{NOTICE}}</p>{{/HAS_NOTICE}}
{{#HAS_DEAD_LETTERS}}<p class="notice notice--error" role="status" id="dead-letters"><a href="/console/outbox">{{DEAD_LETTERS}}</a> could not be delivered.</p>{{/HAS_DEAD_LETTERS}}
{{#EMPTY}}
<div class="panel empty">
  <h2>Nothing waiting</h2>
  <p class="muted">No open tickets match. New requests appear here the moment they arrive.</p>
</div>
{{/EMPTY}}
{{#HAS_TICKETS}}
<div class="table-wrap">
<table class="queue" id="queue">
  <caption class="visually-hidden">Open tickets ordered by first-response deadline</caption>
  <thead>
    <tr>
      <th scope="col">Ticket</th>
      <th scope="col">Subject</th>
      <th scope="col">Organization</th>
      <th scope="col">Priority</th>
      <th scope="col">Assignee</th>
      <th scope="col">Status</th>
      <th scope="col">First response</th>
    </tr>
  </thead>
  <tbody>
{{#TICKET}}
    <tr class="queue__row{{#OVERDUE}} is-overdue{{/OVERDUE}}" data-ref="{{REF}}">
      <td data-label="Ticket" class="queue__ref"><a href="/console/tickets/{{REF}}">{{REF}}</a></td>
      <td data-label="Subject" class="queue__subject"><a href="/console/tickets/{{REF}}">{{SUBJECT}}</a></td>
      <td data-label="Organization">{{ORGANIZATION}}</td>
      <td data-label="Priority"><span class="badge badge--{{PRIORITY_CLASS}}" title="{{PRIORITY_LABEL}}">{{PRIORITY}} · {{PRIORITY_WORD}}</span></td>
      <td data-label="Assignee"{{#UNASSIGNED}} class="muted"{{/UNASSIGNED}}>{{ASSIGNEE}}</td>
      <td data-label="Status"><span class="status status--{{STATUS}}">{{STATUS_LABEL}}</span></td>
      <td data-label="First response"><time class="due due--{{DUE_CLASS}}" datetime="{{DUE_ISO}}" title="{{DUE}}">{{#OVERDUE}}<span class="due__icon" aria-hidden="true">!</span>{{/OVERDUE}}{{DUE_RELATIVE}}</time></td>
    </tr>
{{/TICKET}}
  </tbody>
</table>
</div>
{{/HAS_TICKETS}}
