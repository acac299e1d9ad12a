import { Module } from '@nestjs/common';
import { ApiKeyVerifier } from './api-key-verifier';
import { AuthGuard } from './auth.guard';

/** API-key authentication. The guard itself is registered as the first APP_GUARD in AppModule. */
@Module({
  providers: [ApiKeyVerifier, AuthGuard],
  exports: [ApiKeyVerifier, AuthGuard],
})
export class AuthModule {}
