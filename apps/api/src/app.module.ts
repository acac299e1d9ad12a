import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { HttpErrorFilter } from './common/http-error.filter';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { EnginesModule } from './engines/engines.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { IpRateLimitMiddleware } from './limits/ip-rate-limit.middleware';
import { KeyRateLimitGuard } from './limits/key-rate-limit.guard';
import { LimitsModule } from './limits/limits.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsModule } from './models/models.module';
import { RealtimeModule } from './realtime/realtime.module';
import { StatusModule } from './status/status.module';
import { StorageModule } from './storage/storage.module';
import { TranscriptionModule } from './transcription/transcription.module';

@Module({})
export class AppModule implements NestModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LifecycleModule,
        MetricsModule,
        EnginesModule.register(config),
        StorageModule.register(config),
        AuthModule,
        LimitsModule,
        TranscriptionModule,
        RealtimeModule,
        JobsModule,
        HealthModule,
        StatusModule,
        ModelsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        // Global guards run in this order; AuthGuard first: everything after it reads req.principal.
        { provide: APP_GUARD, useExisting: AuthGuard },
        // Then the per-key rate limit, which needs the principal AuthGuard resolved.
        { provide: APP_GUARD, useExisting: KeyRateLimitGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
    // Per-address limit on everything but health probes, before the guards: failed key guesses count too.
    consumer.apply(IpRateLimitMiddleware).exclude('health', 'health/{*path}').forRoutes('{*path}');
  }
}
