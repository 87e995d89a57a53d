{{%AUTOESCAPE context="HTML"}}<section class="panel panel--form" aria-labelledby="support-heading">
  <h1 id="support-heading">Contact support</h1>
  <p class="muted">No account needed. You will get a reference, the name of the person handling it, and the time we will answer by. Customers with an account can <a href="/login">sign in</a> to follow their tickets.</p>
{{#HAS_ERROR}}  <p class="notice notice--error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
  <form method="post" action="/support" class="stack">
    <div class="field-row">
      <div class="field">
        <label for="name">Your name</label>
{{#HAS_NAME_ERROR}}        <p class="field-error" id="name-error">{{NAME_ERROR}}</p>{{/HAS_NAME_ERROR}}
        <input id="name" name="name" type="text" autocomplete="name" maxlength="200" required value="{{NAME}}"{{#HAS_NAME_ERROR}} aria-invalid="true" aria-describedby="name-error"{{/HAS_NAME_ERROR}}>
      </div>
      <div class="field">
        <label for="email">Your email address</label>
{{#HAS_EMAIL_ERROR}}        <p class="field-error" id="email-error">{{EMAIL_ERROR}}</p>{{/HAS_EMAIL_ERROR}}
        <input id="email" name="email" type="email" autocomplete="email" required value="{{EMAIL}}"{{#HAS_EMAIL_ERROR}} aria-invalid="true" aria-describedby="email-error"{{/HAS_EMAIL_ERROR}}>
      </div>
    </div>
    <div class="field">
      <label for="subject">Subject</label>
{{#HAS_SUBJECT_ERROR}}      <p class="field-error" id="subject-error">{{SUBJECT_ERROR}}</p>{{/HAS_SUBJECT_ERROR}}
      <input id="subject" name="subject" type="text" maxlength="300" required value="{{SUBJECT}}"{{#HAS_SUBJECT_ERROR}} aria-invalid="true" aria-describedby="subject-error"{{/HAS_SUBJECT_ERROR}}>
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
    </div>
    <button type="submit" class="button button--primary">Send</button>
  </form>
</section>
