import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AudioModule } from '../audio/audio.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { HealthRateLimitMiddleware } from './health-rate-limit.middleware';
import { HealthController } from './health.controller';
import { ReadinessCache } from './readiness-cache';
import { ReadinessIndicators } from './readiness.indicators';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), AudioModule, PipelineModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators, ReadinessCache, HealthRateLimitMiddleware],
})
export class HealthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HealthRateLimitMiddleware).exclude('health/live').forRoutes('health', 'health/{*path}');
  }
}
