import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { LimitsModule } from '../limits/limits.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { PipelineTurnTranscriber, TurnTranscriber } from '../streaming/turn-transcriber';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeVad } from './realtime-vad';

/** `/v1/realtime`: the WebSocket gateway, the shared VAD model, and turns transcribed through the one pipeline. */
@Module({
  imports: [PipelineModule, AuthModule, LimitsModule, LifecycleModule],
  providers: [RealtimeGateway, RealtimeVad, { provide: TurnTranscriber, useClass: PipelineTurnTranscriber }],
})
export class RealtimeModule {}
