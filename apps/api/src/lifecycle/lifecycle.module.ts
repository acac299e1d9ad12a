import { Global, Module } from '@nestjs/common';
import { DrainGate } from './drain-gate';
import { ShutdownState } from './shutdown-state';

/** The process's drain state and the gate in front of every request; the sequence itself is ../graceful-shutdown.ts (beside main.ts). */
@Global()
@Module({
  providers: [ShutdownState, DrainGate],
  exports: [ShutdownState, DrainGate],
})
export class LifecycleModule {}
