{{%AUTOESCAPE context="HTML"}}<section class="acknowledged" aria-labelledby="page-heading">
  <h1 id="page-heading">{{HEADING}}</h1>
  <dl class="ack-facts">
    <div><dt>What</dt><dd class="page-summary">{{SUMMARY}}</dd></div>
    <div><dt>Severity</dt><dd>{{SEVERITY}}</dd></div>
    <div><dt>Paged</dt><dd>{{PERSON}}, {{PAGED_AT}}</dd></div>
    <div><dt>Escalation policy</dt><dd>{{POLICY}}</dd></div>
    <div><dt>State</dt><dd class="page-state">{{STATE}}</dd></div>
  </dl>
{{#CAN_ACK}}  <form method="post" action="{{ACTION}}">
    <p>Acknowledging tells everyone you are on it and stops paging the next people in the policy.</p>
    <button type="submit" class="primary">Acknowledge: I am on it</button>
  </form>{{/CAN_ACK}}
{{#NOTE}}  <p class="notice" role="status">{{TEXT}}</p>{{/NOTE}}
</section>
