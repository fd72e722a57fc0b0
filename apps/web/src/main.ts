import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// Bootstrap cannot fail on a bad /config.json: the config initializer turns that into a readable screen.
bootstrapApplication(App, appConfig).catch((error: unknown) => {
  console.error(error);
  document.body.textContent = `The app could not start: ${error instanceof Error ? error.message : String(error)}`;
});
