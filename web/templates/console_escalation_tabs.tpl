{{%AUTOESCAPE context="HTML"}}<nav class="toggle escalation-tabs" aria-label="Escalation pages">
  <a href="/console/escalations"{{#AT_ESCALATIONS}} aria-current="page"{{/AT_ESCALATIONS}}>Escalations</a>
  <a href="/console/escalation-policies"{{#AT_POLICIES}} aria-current="page"{{/AT_POLICIES}}>Policies</a>
  <a href="/console/paging"{{#AT_PAGING}} aria-current="page"{{/AT_PAGING}}>How you are paged</a>
</nav>
