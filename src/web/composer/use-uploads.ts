// Files the agent attaches to a reply: each uploads at once with its own progress, can be
// removed, and can be retried when its upload failed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Attachment } from '../../shared/api-schemas.js';
import { ApiError, uploadFile, type UploadHandle } from '../api/http.js';

export interface UploadItem {
  id: string;
  file: File;
  name: string;
  size: number;
  type: string;
  /** An object URL for an image preview, revoked when the item goes. */
  previewUrl: string | null;
  progress: number;
  status: 'uploading' | 'ready' | 'failed';
  attachment: Attachment | null;
  error: { code: string; message: string; details?: Record<string, unknown> | undefined } | null;
}

export interface Uploads {
  items: UploadItem[];
  /** `pastedName` names clipboard images, which arrive as "image.png" (e.g. "Screenshot"). */
  add(files: Iterable<File>, pastedName?: string): void;
  remove(id: string): void;
  retry(id: string): void;
  /**
   * Puts another attachment (e.g. a redacted copy) in an item's place, with a preview of it
   * (an object URL the item now owns), or the attachment's own address.
   */
  replace(id: string, attachment: Attachment, previewUrl?: string | null): void;
  clear(): void;
}

/** Only previews made from the local file are object URLs to revoke. */
const revoke = (url: string | null) => {
  if (url?.startsWith('blob:')) URL.revokeObjectURL(url);
};

let counter = 0;

const pad = (value: number) => String(value).padStart(2, '0');

/** Clipboard images arrive as "image.png": give them a name worth keeping. */
export function nameOf(file: File, pastedName = 'Screenshot', at = new Date()): string {
  if (file.name && file.name !== 'image.png' && file.name !== 'blob') return file.name;
  const extension = file.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}.${pad(at.getMinutes())}.${pad(at.getSeconds())}`;
  return `${pastedName} ${stamp}.${extension}`;
}

export function useUploads(): Uploads {
  const [items, setItems] = useState<UploadItem[]>([]);
  const handles = useRef(new Map<string, UploadHandle>());
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const update = useCallback((id: string, change: Partial<UploadItem>) => {
    setItems((current) => current.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }, []);

  const start = useCallback(
    (id: string, file: File) => {
      const handle = uploadFile(file, (fraction) => update(id, { progress: fraction }));
      handles.current.set(id, handle);
      handle.promise
        .then((attachment) => update(id, { status: 'ready', progress: 1, attachment, error: null }))
        .catch((failure: unknown) => {
          if (failure instanceof ApiError && failure.code === 'aborted') return;
          update(id, {
            status: 'failed',
            error:
              failure instanceof ApiError
                ? { code: failure.code, message: failure.message, details: failure.details }
                : { code: 'unknown', message: String(failure) },
          });
        })
        .finally(() => handles.current.delete(id));
    },
    [update],
  );

  const add = useCallback(
    (files: Iterable<File>, pastedName?: string) => {
      const added: UploadItem[] = [];
      for (const original of files) {
        const name = nameOf(original, pastedName);
        const file = name === original.name ? original : new File([original], name, { type: original.type });
        counter += 1;
        added.push({
          id: `upload-${counter}`,
          file,
          name,
          size: file.size,
          type: file.type || 'application/octet-stream',
          previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
          progress: 0,
          status: 'uploading',
          attachment: null,
          error: null,
        });
      }
      if (!added.length) return;
      setItems((current) => [...current, ...added]);
      for (const item of added) start(item.id, item.file);
    },
    [start],
  );

  const remove = useCallback((id: string) => {
    handles.current.get(id)?.abort();
    const item = itemsRef.current.find((candidate) => candidate.id === id);
    revoke(item?.previewUrl ?? null);
    setItems((current) => current.filter((candidate) => candidate.id !== id));
  }, []);

  const retry = useCallback(
    (id: string) => {
      const item = itemsRef.current.find((candidate) => candidate.id === id);
      if (!item) return;
      update(id, { status: 'uploading', progress: 0, error: null });
      start(id, item.file);
    },
    [start, update],
  );

  const replace = useCallback((id: string, attachment: Attachment, previewUrl?: string | null) => {
    const item = itemsRef.current.find((candidate) => candidate.id === id);
    // The local preview shows the original: it goes with it.
    revoke(item?.previewUrl ?? null);
    setItems((current) =>
      current.map((candidate) =>
        candidate.id === id
          ? {
              ...candidate,
              name: attachment.name,
              size: attachment.size,
              type: attachment.contentType,
              previewUrl: previewUrl ?? attachment.thumbnailUrl ?? attachment.url,
              status: 'ready',
              progress: 1,
              attachment,
              error: null,
            }
          : candidate,
      ),
    );
  }, []);

  const clear = useCallback(() => {
    for (const item of itemsRef.current) revoke(item.previewUrl);
    setItems([]);
  }, []);

  useEffect(
    () => () => {
      for (const handle of handles.current.values()) handle.abort();
      for (const item of itemsRef.current) revoke(item.previewUrl);
    },
    [],
  );

  return { items, add, remove, retry, replace, clear };
}
