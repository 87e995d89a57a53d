{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Status page</h1>
    <p class="muted">The public page at <a href="/status">/status</a> says <strong id="status-overall">{{OVERALL}}</strong>. What you publish here is there within a second.</p>
  </div>
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_ERROR}}<p class="notice notice--error" role="alert" id="status-error">{{ERROR}}</p>{{/HAS_ERROR}}
<section class="panel" id="open-incidents" aria-labelledby="open-heading">
  <h2 id="open-heading">Public incidents in progress</h2>
{{#NO_OPEN}}  <p class="muted">None: the public page shows no active incident.</p>
{{/NO_OPEN}}{{#OPEN}}  <article class="status-desk__incident" id="public-incident-{{ID}}">
    <h3><a href="/status/incidents/{{ID}}">{{NAME}}</a></h3>
    <p class="muted">{{IMPACT_LABEL}} · {{STATUS_LABEL}} · last update {{UPDATED}}{{#HAS_NEXT}} · next update promised by <strong>{{NEXT}}</strong>{{/HAS_NEXT}}</p>
    <blockquote class="status-desk__last">{{LAST_BODY}}</blockquote>
    <form method="post" action="/console/status/incidents/{{ID}}/updates" class="stack">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <div class="field-row">
        <div class="field">
          <label for="update-{{ID}}-status">Status</label>
          <select id="update-{{ID}}-status" name="status">{{#STATUS_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/STATUS_OPTION}}</select>
        </div>
        <div class="field">
          <label for="update-{{ID}}-impact">Impact</label>
          <select id="update-{{ID}}-impact" name="impact">{{#IMPACT_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/IMPACT_OPTION}}</select>
        </div>
        <div class="field">
          <label for="update-{{ID}}-next">Next update in</label>
          <select id="update-{{ID}}-next" name="next_update" aria-describedby="update-{{ID}}-next-hint">{{#NEXT_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/NEXT_OPTION}}</select>
          <p class="hint" id="update-{{ID}}-next-hint">Shown on the page; not promised when resolving.</p>
        </div>
      </div>
      <div class="field">
        <label for="update-{{ID}}-body">Public update</label>
        <textarea id="update-{{ID}}-body" name="body" rows="3" maxlength="10000" required></textarea>
      </div>
{{#INCIDENT_COMPONENT}}      <div class="field field--inline">
        <label for="update-{{INCIDENT}}-component-{{CID}}">{{CNAME}}</label>
        <select id="update-{{INCIDENT}}-component-{{CID}}" name="component-{{CID}}"><option value="">Unchanged ({{CURRENT_LABEL}})</option>{{#OPTION}}<option value="{{VALUE}}">{{LABEL}}</option>{{/OPTION}}</select>
      </div>
{{/INCIDENT_COMPONENT}}      <div class="actions"><button type="submit" class="button button--primary">Post update</button></div>
    </form>
  </article>
{{/OPEN}}</section>
<section class="panel panel--form" id="publish" aria-labelledby="publish-heading">
  <h2 id="publish-heading">Publish an incident</h2>
  <form method="post" action="/console/status/incidents" class="stack">
    <input type="hidden" name="csrf" value="{{CSRF}}">
{{#FROM_INCIDENT}}    <input type="hidden" name="incident_id" value="{{INTERNAL_INCIDENT}}">
    <p class="notice notice--info">Published from <a href="/console/incidents/{{INTERNAL_INCIDENT}}">incident {{INTERNAL_INCIDENT}}</a>. Write for customers: what they notice, not what broke inside.</p>
{{/FROM_INCIDENT}}    <div class="field">
      <label for="publish-name">Title</label>
      <input type="text" id="publish-name" name="name" value="{{PUBLISH_NAME}}" maxlength="300" required placeholder="Card payments failing on online shops">
    </div>
    <div class="field-row">
      <div class="field">
        <label for="publish-impact">Impact</label>
        <select id="publish-impact" name="impact">{{#PUBLISH_IMPACT}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/PUBLISH_IMPACT}}</select>
      </div>
      <div class="field">
        <label for="publish-component-status">Affected components show</label>
        <select id="publish-component-status" name="component_status">{{#PUBLISH_COMPONENT_STATUS}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/PUBLISH_COMPONENT_STATUS}}</select>
      </div>
      <div class="field">
        <label for="publish-next">Next update in</label>
        <select id="publish-next" name="next_update">{{#NEXT_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/NEXT_OPTION}}</select>
      </div>
    </div>
    <fieldset class="field">
      <legend>Affected components</legend>
{{#PICK_COMPONENT}}      <label class="check"><input type="checkbox" name="component" value="{{ID}}"> {{NAME}}</label>
{{/PICK_COMPONENT}}    </fieldset>
    <div class="field">
      <label for="publish-body">First public update</label>
      <textarea id="publish-body" name="body" rows="3" maxlength="10000" required placeholder="Card payments on some shops fail at checkout. We are investigating.">{{PUBLISH_BODY}}</textarea>
    </div>
    <div class="actions"><button type="submit" class="button button--primary">Publish</button></div>
  </form>
</section>
{{#MAINTENANCE}}<section class="panel panel--form" id="maintenance" aria-labelledby="maintenance-heading">
  <h2 id="maintenance-heading">Scheduled maintenance</h2>
{{#NO_PLANNED}}  <p class="muted">None planned.</p>
{{/NO_PLANNED}}  <ul class="plain-list" id="planned-maintenance">
{{#PLANNED}}    <li><a href="/status/maintenances/{{ID}}">{{NAME}}</a> <span class="muted">{{STATUS_LABEL}} · {{FROM}} to {{UNTIL}}</span></li>
{{/PLANNED}}  </ul>
  <form method="post" action="/console/status/maintenances" class="stack">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <div class="field">
      <label for="maintenance-name">Title</label>
      <input type="text" id="maintenance-name" name="name" maxlength="300" required placeholder="Mail server upgrade">
    </div>
    <div class="field-row">
      <div class="field">
        <label for="maintenance-start">Starts (UTC)</label>
        <input type="datetime-local" id="maintenance-start" name="starts_at" required>
      </div>
      <div class="field">
        <label for="maintenance-length">Lasts</label>
        <select id="maintenance-length" name="minutes">{{#WINDOW_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/WINDOW_OPTION}}</select>
      </div>
    </div>
    <fieldset class="field">
      <legend>Components under maintenance</legend>
{{#PICK_COMPONENT}}      <label class="check"><input type="checkbox" name="component" value="{{ID}}"> {{NAME}}</label>
{{/PICK_COMPONENT}}    </fieldset>
    <div class="field">
      <label for="maintenance-body">What customers should know</label>
      <textarea id="maintenance-body" name="body" rows="3" maxlength="10000" required placeholder="Mail sent during the window waits and is delivered afterwards."></textarea>
    </div>
    <p class="hint">It starts and ends by itself at the window's edges; its components show under maintenance meanwhile.</p>
    <div class="actions"><button type="submit" class="button">Schedule maintenance</button></div>
  </form>
</section>
{{/MAINTENANCE}}<section class="panel" id="components" aria-labelledby="components-heading">
  <h2 id="components-heading">Components</h2>
{{#NO_COMPONENTS}}  <p class="muted">No components yet.</p>
{{/NO_COMPONENTS}}  <div class="table-wrap">
  <table class="status-desk__components">
    <caption class="visually-hidden">Components and their status</caption>
    <thead><tr><th scope="col">Component</th><th scope="col">Group</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Change</span></th></tr></thead>
    <tbody>
{{#COMPONENT}}      <tr id="component-{{ID}}">
        <td>{{NAME}}</td><td>{{GROUP}}</td><td><span class="sp-status sp-status--{{STATUS}}">{{STATUS_LABEL}}</span></td>
        <td><form method="post" action="/console/status/components/{{ID}}" class="inline-form">
          <input type="hidden" name="csrf" value="{{CSRF}}">
          <label class="visually-hidden" for="component-{{ID}}-status">Status of {{NAME}}</label>
          <select id="component-{{ID}}-status" name="status">{{#OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/OPTION}}</select>
          <button type="submit" class="button">Set</button>
        </form></td>
      </tr>
{{/COMPONENT}}    </tbody>
  </table>
  </div>
</section>
{{#ADMIN}}<section class="panel panel--form" id="add-component" aria-labelledby="add-heading">
  <h2 id="add-heading">Add a component or a group</h2>
  <p class="muted">Subscribers and the delivery of each update: <a href="/console/status/subscribers">Subscribers</a>.</p>
  <form method="post" action="/console/status/components" class="stack">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <fieldset class="field">
      <legend>Kind</legend>
      <label class="check"><input type="radio" name="kind" value="component" checked> Component</label>
      <label class="check"><input type="radio" name="kind" value="group"> Group</label>
    </fieldset>
    <div class="field"><label for="add-name">Name</label><input type="text" id="add-name" name="name" maxlength="200" required></div>
    <div class="field"><label for="add-description">Description <span class="muted small">(optional)</span></label><input type="text" id="add-description" name="description" maxlength="2000"></div>
    <div class="field">
      <label for="add-group">In group</label>
      <select id="add-group" name="group_id"><option value="">No group</option>{{#GROUP_OPTION}}<option value="{{ID}}">{{NAME}}</option>{{/GROUP_OPTION}}</select>
    </div>
    <div class="actions"><button type="submit" class="button">Add</button></div>
  </form>
</section>
{{/ADMIN}}<section class="panel" id="resolved" aria-labelledby="resolved-heading">
  <h2 id="resolved-heading">Recently resolved</h2>
{{#NO_RESOLVED}}  <p class="muted">Nothing resolved yet.</p>
{{/NO_RESOLVED}}  <ul class="plain-list">
{{#RESOLVED}}    <li><a href="/status/incidents/{{ID}}">{{NAME}}</a> <span class="muted">resolved {{WHEN}}</span></li>
{{/RESOLVED}}  </ul>
</section>
