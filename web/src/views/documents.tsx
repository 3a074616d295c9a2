/** The cascade's implementing documents as a tree, one level loaded at a time. */
import { useState } from 'preact/hooks';
import { loadDocuments } from '../api/data';
import type { DocumentNode } from '../api/types';
import { fmtDate } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { ErrorBox, Section } from '../ui/common';

function Level({ directiveId, parent }: { directiveId: string; parent?: string }) {
  const { t } = useI18n();
  const docs = useLoad(
    (signal) => loadDocuments(directiveId, parent, { signal }),
    `doc:${directiveId}:${parent ?? ''}`,
  );
  if (!docs.data)
    return docs.error ? <ErrorBox error={docs.error} /> : <p class="muted">{t('loading')}</p>;
  return (
    <ul class="doc-tree">
      {docs.data.items.map((doc) => (
        <DocumentItem directiveId={directiveId} doc={doc} startOpen={!parent} />
      ))}
    </ul>
  );
}

function DocumentItem({
  directiveId,
  doc,
  startOpen,
}: {
  directiveId: string;
  doc: DocumentNode;
  startOpen: boolean;
}) {
  const { lang } = useI18n();
  const [open, setOpen] = useState(startOpen);
  return (
    <li data-doc={doc.number}>
      {doc.children ? (
        <button type="button" class="toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span class="toggle-space" />
      )}
      <b>{doc.number}</b> <span class="kind">{doc.kind}</span> {doc.title}{' '}
      <small class="muted">
        — {doc.issuer.name}, {fmtDate(lang, doc.issuedAt)}
        {doc.children ? ` · ${doc.children} ▸` : ''}
      </small>
      {open && doc.children ? <Level directiveId={directiveId} parent={doc.id} /> : null}
    </li>
  );
}

export function DocumentTree({ directiveId }: { directiveId: string }) {
  const { t } = useI18n();
  const [key, setKey] = useState(0);
  return (
    <Section
      title={t('documents')}
      id="documents"
      right={
        <button
          type="button"
          class="secondary small"
          onClick={() => setKey(key + 1)}
          aria-label="reload"
        >
          ↻
        </button>
      }
    >
      <p class="muted small">{t('documentsHelp')}</p>
      <Level key={key} directiveId={directiveId} />
    </Section>
  );
}
