{{%AUTOESCAPE context="HTML"}}<div class="impact-fields stack">
{{#HAS_PROPOSAL}}  <p class="hint" id="{{P}}-proposal">{{PROPOSAL}}</p>
{{/HAS_PROPOSAL}}  <div class="field-row">
    <div class="field">
      <label for="{{P}}-impact">Business impact</label>
      <select id="{{P}}-impact" name="business_impact"{{#HAS_BUSINESS_ERROR}} aria-invalid="true" aria-describedby="{{P}}-impact-error"{{/HAS_BUSINESS_ERROR}}>
{{#IMPACT_OPTION}}        <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/IMPACT_OPTION}}      </select>
{{#HAS_BUSINESS_ERROR}}      <p class="field-error" id="{{P}}-impact-error">{{BUSINESS_ERROR}}</p>
{{/HAS_BUSINESS_ERROR}}    </div>
    <div class="field">
      <label for="{{P}}-description">In the customer's words <span class="muted small">(optional)</span></label>
      <input type="text" id="{{P}}-description" name="description" value="{{DESCRIPTION}}" maxlength="1000" placeholder="cannot take orders"{{#HAS_DESCRIPTION_ERROR}} aria-invalid="true" aria-describedby="{{P}}-description-error"{{/HAS_DESCRIPTION_ERROR}}>
{{#HAS_DESCRIPTION_ERROR}}      <p class="field-error" id="{{P}}-description-error">{{DESCRIPTION_ERROR}}</p>
{{/HAS_DESCRIPTION_ERROR}}    </div>
  </div>
  <div class="field">
    <label for="{{P}}-organizations">Affected organizations</label>
    <select id="{{P}}-organizations" name="organizations" multiple size="4" aria-describedby="{{P}}-organizations-hint{{#HAS_ORGANIZATIONS_ERROR}} {{P}}-organizations-error{{/HAS_ORGANIZATIONS_ERROR}}"{{#HAS_ORGANIZATIONS_ERROR}} aria-invalid="true"{{/HAS_ORGANIZATIONS_ERROR}}>
{{#ORGANIZATION_OPTION}}      <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ORGANIZATION_OPTION}}    </select>
    <p class="hint" id="{{P}}-organizations-hint">Ctrl-click (⌘-click on a Mac) to choose several. A linked ticket's organization is added by itself.</p>
{{#HAS_ORGANIZATIONS_ERROR}}    <p class="field-error" id="{{P}}-organizations-error">{{ORGANIZATIONS_ERROR}}</p>
{{/HAS_ORGANIZATIONS_ERROR}}  </div>
  <div class="field-row">
    <div class="field">
      <label for="{{P}}-users">Affected users</label>
      <input type="number" id="{{P}}-users" name="users" value="{{USERS}}" min="0" inputmode="numeric"{{#HAS_USERS_ERROR}} aria-invalid="true" aria-describedby="{{P}}-users-error"{{/HAS_USERS_ERROR}}>
      <label class="check"><input type="checkbox" name="users_estimated" value="yes"{{#ESTIMATED}} checked{{/ESTIMATED}}> This is an estimate</label>
{{#HAS_USERS_ERROR}}      <p class="field-error" id="{{P}}-users-error">{{USERS_ERROR}}</p>
{{/HAS_USERS_ERROR}}    </div>
    <div class="field">
      <label for="{{P}}-components">Components or services</label>
      <input type="text" id="{{P}}-components" name="components" value="{{COMPONENTS}}" maxlength="2000" placeholder="checkout, payments API" aria-describedby="{{P}}-components-hint{{#HAS_COMPONENTS_ERROR}} {{P}}-components-error{{/HAS_COMPONENTS_ERROR}}"{{#HAS_COMPONENTS_ERROR}} aria-invalid="true"{{/HAS_COMPONENTS_ERROR}}>
      <p class="hint" id="{{P}}-components-hint">Separated by commas.</p>
{{#HAS_COMPONENTS_ERROR}}      <p class="field-error" id="{{P}}-components-error">{{COMPONENTS_ERROR}}</p>
{{/HAS_COMPONENTS_ERROR}}    </div>
  </div>
  <details class="severity-override"{{#OVERRIDE_OPEN}} open{{/OVERRIDE_OPEN}}>
    <summary>Choose another severity than proposed</summary>
    <div class="field-row">
      <div class="field">
        <label for="{{P}}-severity">Severity</label>
        <select id="{{P}}-severity" name="severity"{{#HAS_SEVERITY_ERROR}} aria-invalid="true" aria-describedby="{{P}}-severity-error"{{/HAS_SEVERITY_ERROR}}>
{{#SEVERITY_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/SEVERITY_OPTION}}        </select>
{{#HAS_SEVERITY_ERROR}}        <p class="field-error" id="{{P}}-severity-error">{{SEVERITY_ERROR}}</p>
{{/HAS_SEVERITY_ERROR}}      </div>
      <div class="field">
        <label for="{{P}}-justification">Justification</label>
        <input type="text" id="{{P}}-justification" name="severity_justification" value="{{JUSTIFICATION}}" maxlength="1000" placeholder="the bakery's busiest day"{{#HAS_JUSTIFICATION_ERROR}} aria-invalid="true" aria-describedby="{{P}}-justification-error"{{/HAS_JUSTIFICATION_ERROR}}>
{{#HAS_JUSTIFICATION_ERROR}}        <p class="field-error" id="{{P}}-justification-error">{{JUSTIFICATION_ERROR}}</p>
{{/HAS_JUSTIFICATION_ERROR}}      </div>
    </div>
  </details>
</div>
