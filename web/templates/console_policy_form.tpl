{{%AUTOESCAPE context="HTML"}}<p class="breadcrumbs"><a href="/console/escalation-policies">Escalation policies</a> › {{#EDITING}}{{CURRENT_NAME}} › Edit{{/EDITING}}{{#CREATING}}New policy{{/CREATING}}</p>
<div class="page-head">
  <div>
    <h1>{{HEADING}}</h1>
    <p class="muted">Level 1 is paged first. When nobody acknowledges within its timeout, the next level is paged; after the
      last level the policy starts again as many times as it repeats.</p>
  </div>
</div>
{{#HAS_ERROR}}<p class="notice notice--error" role="alert" id="form-error">{{ERROR}}</p>{{/HAS_ERROR}}
<form method="post" action="{{ACTION}}" class="panel panel--form stack policy-form" id="policy-form">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <div class="field">
    <label for="policy-name">Name</label>
    <input type="text" id="policy-name" name="name" value="{{NAME}}" maxlength="200" required{{#HAS_NAME_ERROR}} aria-invalid="true" aria-describedby="policy-name-error"{{/HAS_NAME_ERROR}}>
{{#HAS_NAME_ERROR}}    <p class="field-error" id="policy-name-error">{{NAME_ERROR}}</p>{{/HAS_NAME_ERROR}}
  </div>
  <div class="field">
    <label for="policy-description">Description <span class="muted small">(optional)</span></label>
    <textarea id="policy-description" name="description" rows="2"{{#HAS_DESCRIPTION_ERROR}} aria-invalid="true" aria-describedby="policy-description-error"{{/HAS_DESCRIPTION_ERROR}}>{{DESCRIPTION:p}}</textarea>
{{#HAS_DESCRIPTION_ERROR}}    <p class="field-error" id="policy-description-error">{{DESCRIPTION_ERROR}}</p>{{/HAS_DESCRIPTION_ERROR}}
  </div>
  <div class="field-row">
    <div class="field">
      <label for="policy-repeat">Repeat the whole policy</label>
      <input type="number" id="policy-repeat" name="repeat" value="{{REPEAT}}" min="0" max="{{MAX_REPEAT}}" aria-describedby="policy-repeat-hint{{#HAS_REPEAT_ERROR}} policy-repeat-error{{/HAS_REPEAT_ERROR}}"{{#HAS_REPEAT_ERROR}} aria-invalid="true"{{/HAS_REPEAT_ERROR}}>
      <p class="hint" id="policy-repeat-hint">More rounds after the last level, 0 to {{MAX_REPEAT}}.</p>
{{#HAS_REPEAT_ERROR}}      <p class="field-error" id="policy-repeat-error">{{REPEAT_ERROR}}</p>{{/HAS_REPEAT_ERROR}}
    </div>
    <div class="field">
      <span class="label">Default</span>
      <label class="choice" for="policy-default">
        <input type="checkbox" id="policy-default" name="default" value="yes"{{#DEFAULT_CHECKED}} checked{{/DEFAULT_CHECKED}}{{#HAS_DEFAULT_ERROR}} aria-invalid="true" aria-describedby="policy-default-error"{{/HAS_DEFAULT_ERROR}}>
        <span>Default policy: pages for emergency tickets of organizations without a policy of their own</span>
      </label>
{{#HAS_DEFAULT_ERROR}}      <p class="field-error" id="policy-default-error">{{DEFAULT_ERROR}}</p>{{/HAS_DEFAULT_ERROR}}
    </div>
  </div>
{{#NO_SCHEDULES_AT_ALL}}  <p class="hint">There are no schedules yet: <a href="/console/on-call">create one</a> to page whoever is on call.</p>{{/NO_SCHEDULES_AT_ALL}}
{{#LEVEL}}
  <fieldset class="layer-block level-block" id="level-{{N}}">
    <legend>Level {{N}}{{#OPTIONAL}} <span class="muted small">(optional; leave nobody chosen to skip)</span>{{/OPTIONAL}}</legend>
{{#HAS_TARGETS_ERROR}}    <p class="field-error" id="level{{N}}-targets-error" role="alert">{{TARGETS_ERROR}}</p>{{/HAS_TARGETS_ERROR}}
    <div class="target-choices">
      <fieldset class="target-group">
        <legend class="small">Schedules</legend>
{{#SCHEDULE_OPTION}}        <label class="target" for="{{DOM_ID}}"><input type="checkbox" id="{{DOM_ID}}" name="level{{N}}_target" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}> {{LABEL}}{{#HAS_DETAIL}} <span class="muted small">{{DETAIL}}</span>{{/HAS_DETAIL}}</label>
{{/SCHEDULE_OPTION}}      </fieldset>
      <fieldset class="target-group">
        <legend class="small">People</legend>
{{#PERSON_OPTION}}        <label class="target" for="{{DOM_ID}}"><input type="checkbox" id="{{DOM_ID}}" name="level{{N}}_target" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}> {{LABEL}}{{#HAS_DETAIL}} <span class="muted small">{{DETAIL}}</span>{{/HAS_DETAIL}}</label>
{{/PERSON_OPTION}}      </fieldset>
    </div>
    <div class="field field--inline">
      <label for="level{{N}}-timeout">Escalate after (minutes)</label>
      <input type="number" id="level{{N}}-timeout" name="level{{N}}_timeout" value="{{TIMEOUT}}" min="1" max="1440"{{#HAS_TIMEOUT_ERROR}} aria-invalid="true" aria-describedby="level{{N}}-timeout-error"{{/HAS_TIMEOUT_ERROR}}>
{{#HAS_TIMEOUT_ERROR}}      <p class="field-error" id="level{{N}}-timeout-error">{{TIMEOUT_ERROR}}</p>{{/HAS_TIMEOUT_ERROR}}
    </div>
  </fieldset>
{{/LEVEL}}
  <div class="actions">
    <button type="submit" class="button button--primary">{{SUBMIT}}</button>
    <a class="button button--quiet" href="/console/escalation-policies">Cancel</a>
  </div>
</form>
{{#EDITING}}
<form method="post" action="/console/escalation-policies/{{ID}}/delete" class="panel panel--form stack danger-zone" id="delete-policy">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <h2>Delete this policy</h2>
  <p class="hint">A policy still used by a service, an organization or an escalation cannot be deleted: map them to another policy first.</p>
{{#HAS_DELETE_ERROR}}  <p class="field-error" id="delete-error" role="alert">{{DELETE_ERROR}}</p>{{/HAS_DELETE_ERROR}}
  <label class="choice" for="delete-confirm"><input type="checkbox" id="delete-confirm" name="confirm" value="yes"> <span>Yes, delete {{CURRENT_NAME}}</span></label>
  <div class="actions"><button type="submit" class="button">Delete policy</button></div>
</form>
{{/EDITING}}
