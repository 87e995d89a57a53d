{{%AUTOESCAPE context="HTML"}}<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/console/incidents">Incidents</a> <span aria-hidden="true">/</span> <a href="/console/incidents/{{ID}}">#{{ID}}</a> <span aria-hidden="true">/</span> Debrief</nav>
<article class="debrief" id="debrief">
<div class="page-head">
  <div>
    <h1>{{HEADING}}</h1>
    <p class="muted">{{#OPEN}}The incident is still open: this draft grows with its timeline. {{/OPEN}}Drafted from the timeline; write the sections marked “…” together, customers' views included.</p>
  </div>
  <div class="actions no-print">
    <a class="button" href="/console/incidents/{{ID}}/debrief/markdown" id="download-markdown">Download Markdown</a>
    <a class="button button--quiet" href="/console/incidents/{{ID}}">Back to the room</a>
  </div>
</div>
{{#HAS_FLASH}}<p class="notice notice--success no-print" role="status">{{FLASH}}</p>
{{/HAS_FLASH}}<section class="panel debrief-section" id="debrief-facts" aria-label="Facts">
  <div class="preformatted debrief-text">{{FACTS:p}}</div>
</section>
{{#SECTION}}<section class="panel debrief-section" id="{{SECTION_ID}}">
  <h2>{{SECTION_HEADING}}</h2>
  <div class="preformatted debrief-text">{{SECTION_BODY:p}}</div>
</section>
{{/SECTION}}<section class="panel debrief-section" id="action-items" aria-labelledby="action-items-heading">
  <h2 id="action-items-heading">Action items</h2>
{{#HAS_DONE_ERROR}}  <p class="field-error" role="alert">{{DONE_ERROR}}</p>
{{/HAS_DONE_ERROR}}{{#NO_ITEMS}}  <p class="muted">None yet.</p>
{{/NO_ITEMS}}{{#HAS_ITEMS}}  <ul class="action-items">
{{#ITEM}}    <li class="action-item{{#DONE}} action-item--done{{/DONE}}{{#ITEM_OVERDUE}} action-item--overdue{{/ITEM_OVERDUE}}" id="action-item-{{ITEM_ID}}">
      <span class="action-item__box" aria-hidden="true">{{#DONE}}☑{{/DONE}}{{#NOT_DONE}}☐{{/NOT_DONE}}</span>
      <span class="action-item__what"><strong>{{ITEM_TITLE}}</strong> — {{OWNER}}, due {{DUE}}{{#DONE}} · done {{DONE_AT}}{{/DONE}}{{#ITEM_OVERDUE}} · <span class="text-overdue">overdue</span>{{/ITEM_OVERDUE}}</span>
      <form method="post" action="/console/incidents/{{ID}}/action-items/{{ITEM_ID}}/done" class="inline-form">
        <input type="hidden" name="csrf" value="{{CSRF}}">
{{#NOT_DONE}}        <input type="hidden" name="done" value="1">
        <button type="submit" class="button button--small">Mark done<span class="visually-hidden">: {{ITEM_TITLE}}</span></button>
{{/NOT_DONE}}{{#DONE}}        <input type="hidden" name="done" value="0">
        <button type="submit" class="button button--small button--quiet">Reopen<span class="visually-hidden">: {{ITEM_TITLE}}</span></button>
{{/DONE}}      </form>
    </li>
{{/ITEM}}  </ul>
{{/HAS_ITEMS}}  <form method="post" action="/console/incidents/{{ID}}/action-items" class="stack room-form" id="action-form">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <h3>Add an action item</h3>
{{#HAS_ACTION_ERROR}}    <p class="field-error" role="alert" id="action-error">{{ACTION_ERROR}}</p>
{{/HAS_ACTION_ERROR}}    <div class="field">
      <label for="action-title">What will change</label>
      <input type="text" id="action-title" name="title" value="{{ACTION_TITLE}}" maxlength="300" placeholder="Alert on certificate expiry 14 days ahead"{{#HAS_ACTION_TITLE_ERROR}} aria-invalid="true" aria-describedby="action-title-error"{{/HAS_ACTION_TITLE_ERROR}}>
{{#HAS_ACTION_TITLE_ERROR}}      <p class="field-error" id="action-title-error">{{ACTION_TITLE_ERROR}}</p>
{{/HAS_ACTION_TITLE_ERROR}}    </div>
    <div class="field-row">
      <div class="field">
        <label for="action-owner">Owner</label>
        <select id="action-owner" name="owner_id"{{#HAS_ACTION_OWNER_ERROR}} aria-invalid="true" aria-describedby="action-owner-error"{{/HAS_ACTION_OWNER_ERROR}}>
{{#OWNER_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/OWNER_OPTION}}        </select>
{{#HAS_ACTION_OWNER_ERROR}}        <p class="field-error" id="action-owner-error">{{ACTION_OWNER_ERROR}}</p>
{{/HAS_ACTION_OWNER_ERROR}}      </div>
      <div class="field">
        <label for="action-due">Due (UTC)</label>
        <input type="datetime-local" id="action-due" name="due_at" value="{{ACTION_DUE}}"{{#HAS_ACTION_DUE_ERROR}} aria-invalid="true" aria-describedby="action-due-error"{{/HAS_ACTION_DUE_ERROR}}>
{{#HAS_ACTION_DUE_ERROR}}        <p class="field-error" id="action-due-error">{{ACTION_DUE_ERROR}}</p>
{{/HAS_ACTION_DUE_ERROR}}      </div>
    </div>
    <div class="actions"><button type="submit" class="button">Add action item</button></div>
  </form>
</section>
<section class="panel debrief-section" id="customer-views" aria-labelledby="customer-views-heading">
  <h2 id="customer-views-heading">Customers' views</h2>
{{#NO_COMMENTS}}  <p class="muted">Customers have not added their view yet. Once the incident is resolved, those affected can add it from the portal.</p>
{{/NO_COMMENTS}}{{#HAS_COMMENTS}}  <ul class="comments">
{{#COMMENT}}    <li class="comment">
      <blockquote class="preformatted">{{BODY:p}}</blockquote>
      <p class="muted small">— {{AUTHOR}}{{ORGANIZATION}}, {{TIME}}</p>
    </li>
{{/COMMENT}}  </ul>
{{/HAS_COMMENTS}}</section>
</article>
