import { processDoctorIo, runDoctorCli } from './doctor/doctor-cli';

void runDoctorCli(process.argv.slice(2), process.env, processDoctorIo).then((code) => {
  process.exitCode = code;
});
