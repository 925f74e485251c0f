{{/* data-export's variables beyond the common ones (docs/configuration.md, apps/data-export/src/config.ts). */}}
{{- define "ots-data-export.env" -}}
- name: DIRECTORY_GRPC_URL
  value: {{ include "ots.directoryGrpcTarget" . | quote }}
{{- end -}}

{{- define "ots-data-export.ports" -}}{{- end -}}
{{- define "ots-data-export.volumes" -}}{{- end -}}
{{- define "ots-data-export.volumeMounts" -}}{{- end -}}
{{- define "ots-data-export.networkIngress" -}}{{- end -}}

{{- define "ots-data-export.networkEgress" -}}
{{ include "ots.directoryGrpcEgress" . }}
{{- end -}}
