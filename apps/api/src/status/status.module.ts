import { Module } from '@nestjs/common';
import { TranscriptionModule } from '../transcription/transcription.module';
import { StatusController } from './status.controller';

@Module({ imports: [TranscriptionModule], controllers: [StatusController] })
export class StatusModule {}
