import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AudioModule } from '../audio/audio.module';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './readiness.indicators';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), AudioModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
})
export class HealthModule {}
