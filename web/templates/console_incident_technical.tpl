{{%AUTOESCAPE context="HTML"}}{{#NO_ENTRIES}}<p class="muted">Nothing logged yet.</p>
{{/NO_ENTRIES}}{{#HAS_ENTRIES}}<ol class="log" aria-label="Technical log, newest first">
{{#ENTRY}}  <li class="log__item log__item--{{CHANNEL}} log__item--{{KIND}}" id="update-{{UPDATE_ID}}">
    <div class="log__meta"><span class="tag">{{KIND_LABEL}}</span> <strong>{{AUTHOR}}</strong> <time class="log__time" datetime="{{ISO}}">{{TIME}}</time></div>
    <div class="log__body preformatted">{{BODY:p}}</div>
  </li>
{{/ENTRY}}</ol>
{{/HAS_ENTRIES}}
