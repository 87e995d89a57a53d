{{%AUTOESCAPE context="HTML"}}{{#NO_ENTRIES}}<p class="muted">No briefing yet: the first is due within 30 minutes of declaring.</p>
{{/NO_ENTRIES}}{{#HAS_ENTRIES}}<ol class="log" aria-label="Briefings, newest first">
{{#ENTRY}}  <li class="log__item briefing briefing--{{KIND}}" id="update-{{UPDATE_ID}}">
    <div class="log__meta"><span class="tag tag--agent">{{KIND_LABEL}}</span> <strong>{{AUTHOR}}</strong> <span class="muted small">{{STATUS_LABEL}}</span> <time class="log__time" datetime="{{ISO}}">{{TIME}}</time></div>
    <div class="log__body preformatted">{{BODY:p}}</div>
{{#HAS_NEXT}}    <p class="briefing__next">Next update by {{NEXT}} — {{NEXT_REASON}}</p>
{{/HAS_NEXT}}  </li>
{{/ENTRY}}</ol>
{{/HAS_ENTRIES}}
