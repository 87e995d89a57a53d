{{%AUTOESCAPE context="HTML"}}<section class="acknowledged" id="acknowledgement" aria-labelledby="ack-heading">
  <h1 id="ack-heading">We have your request</h1>
  <dl class="ack-facts">
    <div><dt>Your reference</dt><dd class="ack-ref">{{REF}}</dd></div>
    <div><dt>Who is on it</dt><dd class="ack-responder">{{RESPONDER}}</dd></div>
    <div><dt>A person will answer by</dt><dd class="ack-respond-by">{{RESPOND_BY}} <span class="small">({{RESPOND_WITHIN}})</span></dd></div>
{{#HAS_PHONE}}    <div><dt>If your business is down, call</dt><dd class="ack-phone">{{PHONE}}</dd></div>{{/HAS_PHONE}}
  </dl>
  <details class="ack-text" open>
    <summary>The acknowledgement we sent you</summary>
    <div class="preformatted">{{ACKNOWLEDGEMENT:p}}</div>
  </details>
</section>
<p class="muted">Keep {{REF}} in the subject when you write to us about this.</p>
