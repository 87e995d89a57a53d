{{%AUTOESCAPE context="HTML"}}<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/console">Queue</a> <span aria-hidden="true">/</span> {{REF}}</nav>
{{>HEAD}}
<p class="ticket-actions"><a class="button button--small" href="/console/incidents/new?ticket={{REF}}" id="declare-incident">Declare incident</a></p>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
<div class="ticket-layout">
  <div class="ticket-main">
    <details class="panel acknowledgement">
      <summary>Acknowledgement sent to {{REQUESTER_NAME}}</summary>
      <div class="prose preformatted">{{ACKNOWLEDGEMENT:p}}</div>
    </details>
{{>EMAIL}}
{{>CONVERSATION}}
  </div>
{{>SIDE}}
</div>
