import { startApi } from './start';

void startApi();
