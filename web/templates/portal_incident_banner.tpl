{{%AUTOESCAPE context="HTML"}}<div class="incident-banners" id="incident-banner">
{{#INCIDENT}}  <p class="notice notice--warning incident-banner" role="status"><strong>We are working on:</strong> <a href="/portal/incidents/{{ID}}">{{TITLE}}</a>{{#HAS_NEXT}} — next update by {{NEXT}}{{/HAS_NEXT}}</p>
{{/INCIDENT}}</div>
