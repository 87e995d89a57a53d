{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Escalation policies</h1>
    <p class="muted">Who is paged, in which order, and how long each level has to acknowledge before the next one is paged.</p>
  </div>
  {{>TABS}}
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_NOTICE}}<p class="notice notice--error" role="alert" id="policies-notice">{{NOTICE}}</p>{{/HAS_NOTICE}}
<section class="panel" aria-labelledby="policies-heading" id="policies">
  <div class="panel-head">
    <h2 id="policies-heading">Policies</h2>
{{#CAN_EDIT}}    <a class="button button--primary button--small" href="/console/escalation-policies/new">New policy</a>{{/CAN_EDIT}}
  </div>
{{#NO_POLICIES}}  <p class="muted">No escalation policies yet: alerts and emergency tickets page nobody.</p>{{/NO_POLICIES}}
{{#HAS_POLICIES}}  <div class="table-wrap">
  <table class="alerts policies">
    <caption class="visually-hidden">Escalation policies</caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Levels</th>
        <th scope="col">Used by</th>
        <th scope="col"><span class="visually-hidden">Actions</span></th>
      </tr>
    </thead>
    <tbody>
{{#POLICY}}      <tr id="policy-{{ID}}" class="policy-row">
        <td class="policy-row__name"><strong>{{NAME}}</strong>{{#IS_DEFAULT}} <span class="tag">default</span>{{/IS_DEFAULT}}{{#HAS_DESCRIPTION}}<br><span class="muted small">{{DESCRIPTION}}</span>{{/HAS_DESCRIPTION}}</td>
        <td class="policy-row__levels">{{LEVELS}}</td>
        <td class="policy-row__used">{{USED_BY}}</td>
        <td class="alert-row__actions">{{#CAN_EDIT}}<a class="button button--small" href="/console/escalation-policies/{{ID}}/edit">Edit<span class="visually-hidden"> {{NAME}}</span></a>{{/CAN_EDIT}}</td>
      </tr>
{{/POLICY}}    </tbody>
  </table>
  </div>{{/HAS_POLICIES}}
</section>
<section class="panel" aria-labelledby="services-heading" id="services">
  <h2 id="services-heading">Services</h2>
  <p class="hint">Critical and error alerts of a service page its policy.</p>
{{#NO_SERVICES}}  <p class="muted">No services yet. Services are created with the API (POST /api/v1/services).</p>{{/NO_SERVICES}}
{{#HAS_SERVICES}}  <div class="table-wrap">
  <table class="alerts services">
    <caption class="visually-hidden">Services and their escalation policies</caption>
    <thead>
      <tr>
        <th scope="col">Service</th>
        <th scope="col">Pages</th>
      </tr>
    </thead>
    <tbody>
{{#SERVICE}}      <tr id="service-{{ID}}" class="service-row">
        <td><strong>{{NAME}}</strong></td>
        <td>
{{#CAN_EDIT}}          <form method="post" action="/console/services/{{ID}}/escalation-policy" class="service-policy-form">
            <input type="hidden" name="csrf" value="{{CSRF}}">
            <label class="visually-hidden" for="service-{{ID}}-policy">Escalation policy for {{NAME}}</label>
            <select id="service-{{ID}}-policy" name="policy">
{{#POLICY_OPTION}}              <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/POLICY_OPTION}}            </select>
            <button type="submit" class="button button--small">Save</button>
          </form>
{{/CAN_EDIT}}{{#READ_ONLY}}          <span class="service-row__policy">{{POLICY}}{{#NO_POLICY}}<span class="muted">Nobody (no paging)</span>{{/NO_POLICY}}</span>
{{/READ_ONLY}}        </td>
      </tr>
{{/SERVICE}}    </tbody>
  </table>
  </div>{{/HAS_SERVICES}}
</section>
