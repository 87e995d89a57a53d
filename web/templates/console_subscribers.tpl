{{%AUTOESCAPE context="HTML"}}<section class="panel" aria-labelledby="subscribers-heading">
  <h1 id="subscribers-heading">Status page subscribers</h1>
{{#HAS_ERROR}}  <p class="notice notice--error" role="alert">{{ERROR}}</p>{{/HAS_ERROR}}
  <h2>Deliveries of public updates</h2>
{{#NO_DELIVERIES}}  <p class="muted">No public update has notified subscribers yet.</p>{{/NO_DELIVERIES}}
{{#HAS_DELIVERIES}}  <div class="table-wrap table-wrap--scroll"><table class="queue">
    <thead><tr><th scope="col">Update</th><th scope="col">Incident</th><th scope="col">Recipients</th><th scope="col">Queued</th><th scope="col">Sent</th><th scope="col">Failed</th></tr></thead>
    <tbody>
{{#DELIVERY}}      <tr><td>{{CREATED_AT}}</td><td>{{INCIDENT}}</td><td>{{RECIPIENTS}}{{#EXPANDING}} (still queueing){{/EXPANDING}}</td><td>{{QUEUED}}</td><td>{{SENT}}</td><td>{{FAILED}}</td></tr>
{{/DELIVERY}}    </tbody>
  </table></div>{{/HAS_DELIVERIES}}
  <h2>Subscribers</h2>
{{#NO_SUBSCRIBERS}}  <p class="muted">Nobody has subscribed yet. The public form is at <a href="/status/subscribe">/status/subscribe</a>.</p>{{/NO_SUBSCRIBERS}}
{{#HAS_SUBSCRIBERS}}  <div class="table-wrap table-wrap--scroll"><table class="queue">
    <thead><tr><th scope="col">Channel</th><th scope="col">Address</th><th scope="col">State</th><th scope="col">Components</th><th scope="col">Since</th></tr></thead>
    <tbody>
{{#SUBSCRIBER}}      <tr><td>{{CHANNEL}}</td><td class="subscriber-address">{{ADDRESS}}</td><td>{{STATE}}{{#HAS_REASON}}: {{REASON}}{{/HAS_REASON}}</td><td>{{COMPONENTS}}</td><td>{{CREATED_AT}}</td></tr>
{{/SUBSCRIBER}}    </tbody>
  </table></div>{{/HAS_SUBSCRIBERS}}
</section>
