import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { StatusController } from './status.controller';

@Module({ imports: [PipelineModule], controllers: [StatusController] })
export class StatusModule {}
