{{%AUTOESCAPE context="HTML"}}<section class="panel panel--narrow error-page" aria-labelledby="error-heading">
  <p class="eyebrow">Error {{STATUS}}</p>
  <h1 id="error-heading">{{HEADING}}</h1>
  <p class="lead" role="alert">{{DETAIL}}</p>
  <p class="actions"><a class="button" href="/">Go to the start page</a></p>
</section>
