import { TestBed } from '@angular/core/testing';
import { DropZone } from './drop-zone';

/** jsdom has no DataTransfer: a drag event carrying just what the component reads. */
function dragEvent(type: string, files: File[]): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
  return event;
}

describe('DropZone', () => {
  it('emits dropped files and highlights while files are dragged over', async () => {
    const fixture = TestBed.createComponent(DropZone);
    const emitted: File[][] = [];
    fixture.componentInstance.files.subscribe((files) => emitted.push(files));
    await fixture.whenStable();
    const zone = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="drop-zone"]') as HTMLElement;
    const files = [new File(['a'], 'a.wav'), new File(['b'], 'b.mp3')];

    const over = dragEvent('dragover', files);
    zone.dispatchEvent(over);
    await fixture.whenStable();
    expect(over.defaultPrevented).toBe(true);
    expect(zone.classList).toContain('over');

    zone.dispatchEvent(dragEvent('drop', files));
    await fixture.whenStable();
    expect(emitted).toEqual([files]);
    expect(zone.classList).not.toContain('over');
  });

  it('opens the picker from a real button and emits the picked files', async () => {
    const fixture = TestBed.createComponent(DropZone);
    fixture.componentRef.setInput('accept', '.wav,audio/*');
    fixture.componentRef.setInput('hint', 'wav · 100 MB');
    const emitted: File[][] = [];
    fixture.componentInstance.files.subscribe((files) => emitted.push(files));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const input = element.querySelector('input[type="file"]') as HTMLInputElement;
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe('.wav,audio/*');
    expect(element.textContent).toContain('wav · 100 MB');

    const click = jest.spyOn(input, 'click');
    (element.querySelector('button') as HTMLButtonElement).click();
    expect(click).toHaveBeenCalled();

    const file = new File(['a'], 'a.wav');
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    expect(emitted).toEqual([[file]]);
  });
});
