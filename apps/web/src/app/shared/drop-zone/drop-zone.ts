import { Component, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';

/** Drop files here or pick them with the button (the keyboard path); emits every file at once. */
@Component({
  selector: 'app-drop-zone',
  template: `
    <div
      class="zone"
      data-testid="drop-zone"
      [class.over]="over()"
      (dragenter)="dragOver($event)"
      (dragover)="dragOver($event)"
      (dragleave)="over.set(false)"
      (drop)="drop($event)"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="32" height="32"><path fill="currentColor" d="M12 3 7 8h3v6h4V8h3l-5-5zm-7 14v4h14v-4h-2v2H7v-2H5z" /></svg>
      <p class="title">{{ i18n.t('transcribe.drop') }}</p>
      <p class="or">{{ i18n.t('transcribe.or') }}</p>
      <button type="button" class="primary" (click)="picker().nativeElement.click()">{{ i18n.t('transcribe.pick') }}</button>
      <input #fileInput type="file" multiple hidden [accept]="accept()" (change)="picked($event)" data-testid="file-input" />
      @if (hint()) {
        <p class="hint">{{ hint() }}</p>
      }
    </div>
  `,
  styles: `
    .zone { display: grid; justify-items: center; gap: 0.4rem; padding: 1.5rem 1rem; text-align: center;
      border: 2px dashed var(--border); border-radius: var(--radius); background: var(--surface); color: var(--text); }
    .zone.over { border-color: var(--accent); background: var(--accent-soft); }
    svg { color: var(--accent); }
    p { margin: 0; }
    .title { font-weight: 600; font-size: 1.1rem; }
    .or, .hint { color: var(--muted); font-size: 0.9rem; }
  `,
})
export class DropZone {
  protected readonly i18n = inject(I18n);
  readonly accept = input('');
  readonly hint = input('');
  readonly files = output<File[]>();
  protected readonly over = signal(false);
  protected readonly picker = viewChild.required<ElementRef<HTMLInputElement>>('fileInput');

  protected dragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.over.set(true);
  }

  protected drop(event: DragEvent): void {
    event.preventDefault();
    this.over.set(false);
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) this.files.emit(files);
  }

  protected picked(event: Event): void {
    const element = event.target as HTMLInputElement;
    const files = Array.from(element.files ?? []);
    element.value = ''; // picking the same file again fires change again
    if (files.length > 0) this.files.emit(files);
  }
}
