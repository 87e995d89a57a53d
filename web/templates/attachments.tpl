{{%AUTOESCAPE context="HTML"}}<ul class="attachments" aria-label="{{LABEL}}">
{{#ATTACHMENT}}  <li class="attachment" data-attachment="{{ID}}">{{#STORED}}<a class="attachment__name" href="{{HREF}}" download>{{FILENAME}}</a>{{/STORED}}{{#NOT_STORED}}<span class="attachment__name">{{FILENAME}}</span>{{/NOT_STORED}} <span class="attachment__meta">{{TYPE}} · {{SIZE}}{{#NOT_STORED}} · not kept: over the size limit{{/NOT_STORED}}</span></li>
{{/ATTACHMENT}}</ul>
