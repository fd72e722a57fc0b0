// The config doctor's entry point (npm run doctor): a tool of the teaching layer, built beside the API.
import { processDoctorIo, runDoctorCli } from './doctor-cli';

void runDoctorCli(process.argv.slice(2), process.env, processDoctorIo).then((code) => {
  process.exitCode = code;
});
