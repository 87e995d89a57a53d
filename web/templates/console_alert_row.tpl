{{%AUTOESCAPE context="HTML"}}    <tr class="alert-row alert-row--{{STATUS}}" id="alert-{{ID}}" data-alert="{{ID}}">
      <td data-label="Service" class="alert-row__service">{{SERVICE}}</td>
      <td data-label="Severity"><span class="severity severity--{{SEVERITY}}">{{SEVERITY_LABEL}}</span></td>
      <td data-label="Summary" class="alert-row__summary">{{SUMMARY}}{{#HAS_SOURCE}} <span class="muted small">· {{SOURCE}}</span>{{/HAS_SOURCE}}</td>
      <td data-label="Status"><span class="alert-status alert-status--{{STATUS}}">{{STATUS_LABEL}}</span></td>
      <td data-label="Count" class="alert-row__count">{{COUNT}}</td>
      <td data-label="Age" class="alert-row__age"><time datetime="{{CREATED_ISO}}" title="{{CREATED}}">{{AGE}}</time></td>
      <td data-label="Escalation" class="alert-row__escalation">{{#ESCALATION}}<a href="/console/escalations/{{ESCALATION_ID}}">{{ESCALATION_STATE}}</a>{{/ESCALATION}}{{#FLAPPING}} <span class="muted small">Flapping: not paged again</span>{{/FLAPPING}}</td>
      <td class="alert-row__actions">
{{#CAN_ACKNOWLEDGE}}        <form method="post" action="/console/alerts/{{ID}}/acknowledge" class="inline-form" hx-post="/console/alerts/{{ID}}/acknowledge" hx-target="#alert-{{ID}}" hx-swap="outerHTML">
          <input type="hidden" name="csrf" value="{{CSRF}}">
          <input type="hidden" name="show" value="{{SHOW}}">
          <button type="submit" class="button button--small">Acknowledge</button>
        </form>
{{/CAN_ACKNOWLEDGE}}{{#CAN_RESOLVE}}        <form method="post" action="/console/alerts/{{ID}}/resolve" class="inline-form" hx-post="/console/alerts/{{ID}}/resolve" hx-target="#alert-{{ID}}" hx-swap="outerHTML">
          <input type="hidden" name="csrf" value="{{CSRF}}">
          <input type="hidden" name="show" value="{{SHOW}}">
          <button type="submit" class="button button--small">Resolve</button>
        </form>
{{/CAN_RESOLVE}}      </td>
    </tr>
