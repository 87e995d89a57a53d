{{%AUTOESCAPE context="HTML"}}<form method="post" action="/console/incidents" class="stack declare-form" id="declare-form">
  <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ERROR}}  <p class="notice notice--error" role="alert" id="declare-error">{{ERROR}}</p>
{{/HAS_ERROR}}{{#HAS_TICKET}}  <input type="hidden" name="ticket" value="{{TICKET}}">
  <p class="notice notice--info" id="declare-ticket">Declared from <a href="/console/tickets/{{TICKET}}">{{TICKET}}</a> · {{TICKET_SUBJECT}}. It is linked, and its requester gets the known-issue answer naming you.</p>
{{/HAS_TICKET}}{{#HAS_TICKET_ERROR}}  <p class="field-error" id="declare-ticket-error">{{TICKET_ERROR}}</p>
{{/HAS_TICKET_ERROR}}  <div class="field">
    <label for="declare-title">Title</label>
    <input type="text" id="declare-title" name="title" value="{{TITLE}}" maxlength="300" required placeholder="Online shop checkout fails"{{#HAS_TITLE_ERROR}} aria-invalid="true" aria-describedby="declare-title-error"{{/HAS_TITLE_ERROR}}>
{{#HAS_TITLE_ERROR}}    <p class="field-error" id="declare-title-error">{{TITLE_ERROR}}</p>
{{/HAS_TITLE_ERROR}}  </div>
{{>IMPACT}}
  <div class="field">
    <label for="declare-keywords">Keywords <span class="muted small">(optional)</span></label>
    <input type="text" id="declare-keywords" name="keywords" value="{{KEYWORDS}}" maxlength="500" placeholder="checkout, payment" aria-describedby="declare-keywords-hint">
    <p class="hint" id="declare-keywords-hint">New tickets with these words are suggested as duplicates.</p>
  </div>
  <div class="actions"><button type="submit" class="button button--primary">Declare incident</button></div>
</form>
