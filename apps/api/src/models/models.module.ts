import { Module } from '@nestjs/common';
import { ModelsController } from './models.controller';

/** /v1/models; the ModelRegistry comes from the global EnginesModule. */
@Module({ controllers: [ModelsController] })
export class ModelsModule {}
