{{%AUTOESCAPE context="HTML"}}<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/console/incidents">Incidents</a> <span aria-hidden="true">/</span> Declare{{#FROM_TICKET}} <span aria-hidden="true">·</span> from <a href="/console/tickets/{{TICKET}}">{{TICKET}}</a>{{/FROM_TICKET}}</nav>
<section class="panel panel--form" id="declare" aria-labelledby="declare-heading">
  <h1 id="declare-heading">Declare an incident</h1>
  <p class="muted">You become its commander: your name and emergency number are shown to the customers it affects. Severity is proposed from the impact you describe.</p>
{{>DECLARE}}
</section>
