{{%AUTOESCAPE context="HTML"}}<aside class="ticket-side" id="ticket-side"{{#OOB}} hx-swap-oob="true"{{/OOB}}>
  <section class="panel" aria-labelledby="assign-heading">
    <h2 id="assign-heading">Assign</h2>
    <form method="post" action="/console/tickets/{{REF}}/assignment" class="stack">
      <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ASSIGN_ERROR}}        <p class="field-error" id="assign-error" role="alert">{{ASSIGN_ERROR}}</p>{{/HAS_ASSIGN_ERROR}}
      <div class="field">
        <label for="assignee-select">Assign to</label>
        <select id="assignee-select" name="assignee"{{#HAS_ASSIGN_ERROR}} aria-invalid="true" aria-describedby="assign-error"{{/HAS_ASSIGN_ERROR}}>
{{#ASSIGNEE_OPTION}}            <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ASSIGNEE_OPTION}}          </select>
        <p class="hint">Currently: {{ASSIGNEE}}.</p>
{{#HAS_STAFF_ERROR}}        <p class="field-error" role="alert">The team could not be listed: {{STAFF_ERROR}}</p>{{/HAS_STAFF_ERROR}}
      </div>
      <button type="submit" class="button">Assign</button>
    </form>
  </section>
  <section class="panel" aria-labelledby="status-heading">
    <h2 id="status-heading">Status</h2>
    <form method="post" action="/console/tickets/{{REF}}/status" class="stack">
      <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_STATUS_ERROR}}        <p class="field-error" role="alert">{{STATUS_ERROR}}</p>{{/HAS_STATUS_ERROR}}
      <div class="field">
        <label for="status-select">Set status</label>
        <select id="status-select" name="status">
{{#STATUS_OPTION}}            <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/STATUS_OPTION}}          </select>
      </div>
      <button type="submit" class="button">Update status</button>
    </form>
  </section>
  <section class="panel" aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Timeline</h2>
    <ol class="timeline">
{{#EVENT}}        <li class="timeline__item timeline__item--{{KIND}}"><span class="timeline__detail"><strong>{{WHO}}</strong> · {{DETAIL}}</span><span class="timeline__time">{{TIME}}</span></li>
{{/EVENT}}      </ol>
  </section>
</aside>
