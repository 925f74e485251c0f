{{/*
push's variables beyond the common ones (docs/configuration.md, apps/push/src/config.ts). DATABASE_URL /
DATABASE_POOL_SIZE (push tokens) arrive with the push work; provider credentials will be *_FILE variables mounted
from existing Secrets.
*/}}
{{- define "ots-push.env" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.key }}
- name: DATABASE_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
{{- end -}}

{{- define "ots-push.ports" -}}{{- end -}}
{{- define "ots-push.volumes" -}}{{- end -}}
{{- define "ots-push.volumeMounts" -}}{{- end -}}
{{- define "ots-push.networkIngress" -}}{{- end -}}

{{/* PostgreSQL, and the push providers (FCM, APNs, HMS) over HTTPS */}}
{{- define "ots-push.networkEgress" -}}
{{ include "ots.databaseEgress" . }}
- to:
    {{- toYaml .Values.networkPolicy.pushProviders.to | nindent 4 }}
  ports:
    - port: {{ .Values.networkPolicy.pushProviders.port }}
      protocol: TCP
{{- end -}}
