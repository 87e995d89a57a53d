{{%AUTOESCAPE context="HTML"}}<section class="panel panel--narrow login" aria-labelledby="login-heading">
  <h1 id="login-heading">Sign in</h1>
  <p class="muted">Customers see their organization's tickets; agents see the queue.</p>
{{#EXPIRED}}
  <p class="notice notice--warning" role="status">Your session has expired. Please sign in again.</p>
{{/EXPIRED}}
{{#SIGNED_OUT}}
  <p class="notice notice--info" role="status">You have signed out.</p>
{{/SIGNED_OUT}}
{{#HAS_ERROR}}
  <p class="notice notice--error" role="alert" id="login-error">{{ERROR}}</p>
{{/HAS_ERROR}}
  <form method="post" action="/login" class="stack" novalidate>
    <input type="hidden" name="next" value="{{NEXT}}">
    <div class="field">
      <label for="email">Email address</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="{{EMAIL}}"{{#FOCUS_EMAIL}} autofocus{{/FOCUS_EMAIL}}{{#HAS_ERROR}} aria-describedby="login-error" aria-invalid="true"{{/HAS_ERROR}}>
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required{{#FOCUS_PASSWORD}} autofocus{{/FOCUS_PASSWORD}}{{#HAS_ERROR}} aria-describedby="login-error" aria-invalid="true"{{/HAS_ERROR}}>
    </div>
    <button type="submit" class="button button--primary button--block">Sign in</button>
  </form>
</section>
