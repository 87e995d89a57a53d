{{%AUTOESCAPE context="HTML"}}<section class="panel panel--form" aria-labelledby="new-heading">
  <h1 id="new-heading">Open a new ticket</h1>
  <p class="muted">Tell us what is wrong. You will get a reference, the name of the person handling it, and the time we will answer by.</p>
{{#STAFF_HINT}}  <p class="notice notice--info">You are signed in as staff: tickets opened here need a customer as the requester, so use the API or email intake instead.</p>{{/STAFF_HINT}}
{{#HAS_ERROR}}  <p class="notice notice--error" role="alert" id="form-error">{{ERROR}}</p>{{/HAS_ERROR}}
  <form method="post" action="/portal/tickets" class="stack">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
    <div class="field">
      <label for="subject">Subject</label>
{{#HAS_SUBJECT_ERROR}}      <p class="field-error" id="subject-error">{{SUBJECT_ERROR}}</p>{{/HAS_SUBJECT_ERROR}}
      <input id="subject" name="subject" type="text" maxlength="300" required value="{{SUBJECT}}" placeholder="For example: Card payments fail at the till"{{#HAS_SUBJECT_ERROR}} aria-invalid="true" aria-describedby="subject-error"{{/HAS_SUBJECT_ERROR}}>
    </div>
    <fieldset class="field choices">
      <legend>How urgent is it?</legend>
{{#HAS_PRIORITY_ERROR}}      <p class="field-error">{{PRIORITY_ERROR}}</p>{{/HAS_PRIORITY_ERROR}}
{{#PRIORITY_OPTION}}      <label class="choice" for="{{ID}}"><input type="radio" id="{{ID}}" name="priority" value="{{VALUE}}" required{{#CHECKED}} checked{{/CHECKED}}><span>{{LABEL}}</span></label>
{{/PRIORITY_OPTION}}    </fieldset>
    <div class="field">
      <label for="body">What is happening?</label>
{{#HAS_BODY_ERROR}}      <p class="field-error" id="body-error">{{BODY_ERROR}}</p>{{/HAS_BODY_ERROR}}
      <textarea id="body" name="body" rows="8" required{{#HAS_BODY_ERROR}} aria-invalid="true" aria-describedby="body-error"{{/HAS_BODY_ERROR}}>{{BODY:p}}</textarea>
      <p class="hint">What you see, since when, and who is affected. Error messages help.</p>
    </div>
    <div class="actions">
      <button type="submit" class="button button--primary">Send ticket</button>
      <a class="button button--quiet" href="/portal">Cancel</a>
    </div>
  </form>
</section>
