{{/*
The service Deployment. Call with (dict "ctx" $ "env" <YAML list of extra env> "ports" <YAML list of extra container
ports> "volumes" <YAML list> "volumeMounts" <YAML list>). Secure by default: non-root UID 1000, read-only root
filesystem with an emptyDir /tmp, all capabilities dropped, no privilege escalation, RuntimeDefault seccomp, no
service-account token. Liveness /healthz (process alive), readiness /readyz (dependencies reachable).
*/}}
{{- define "ots.deployment" -}}
{{- $ := .ctx -}}
{{- $v := $.Values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "ots.fullname" $ }}
  labels:
    {{- include "ots.labels" $ | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  {{- with $v.strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ots.selectorLabels" $ | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ots.labels" $ | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "ots.fullname" $ }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {{ include "ots.component" $ }}
          image: {{ include "ots.image" $ | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            runAsGroup: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities:
              drop: [ALL]
            seccompProfile:
              type: RuntimeDefault
          env:
            - name: SERVICE
              value: {{ include "ots.component" $ | quote }}
            - name: OTS_SITE
              value: {{ include "ots.site" $ | quote }}
            - name: OTS_VERSION
              value: {{ include "ots.imageTag" $ | quote }}
            - name: LOG_LEVEL
              value: {{ $v.logLevel | quote }}
            - name: HTTP_HOST
              value: "0.0.0.0"
            - name: HTTP_PORT
              value: {{ $v.http.port | quote }}
            - name: NATS_URL
              value: {{ include "ots.natsUrl" $ | quote }}
            - name: SHUTDOWN_GRACE_MS
              value: {{ $v.shutdownGraceMs | quote }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
          ports:
            - name: http
              containerPort: {{ $v.http.port }}
              protocol: TCP
            {{- with .ports }}
            {{- . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            failureThreshold: 30
            timeoutSeconds: 2
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml $v.topologySpreadConstraints | nindent 8 }}
      {{- else }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "ots.selectorLabels" $ | nindent 14 }}
      {{- end }}
{{- end -}}

{{- define "ots.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "ots.fullname" . }}
  labels:
    {{- include "ots.labels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}

{{/* ClusterIP Service for HTTP (public API behind the Ingress, health, metrics). */}}
{{- define "ots.httpService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "ots.fullname" . }}
  labels:
    {{- include "ots.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "ots.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.http.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{/*
Headless Service for gRPC: DNS returns every ready pod's address, and clients (createGrpcClient: dns:///host:port
with the round_robin policy) spread calls over all of them instead of pinning one pod per connection.
*/}}
{{- define "ots.grpcService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "ots.fullname" . }}-grpc
  labels:
    {{- include "ots.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  clusterIP: None
  publishNotReadyAddresses: false
  selector:
    {{- include "ots.selectorLabels" . | nindent 4 }}
  ports:
    - name: grpc
      port: {{ .Values.grpc.port }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
{{- end -}}

{{- define "ots.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "ots.fullname" . }}
  labels:
    {{- include "ots.labels" . | nindent 4 }}
spec:
  {{- if hasKey .Values.podDisruptionBudget "minAvailable" }}
  minAvailable: {{ .Values.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "ots.selectorLabels" . | nindent 6 }}
{{- end -}}

{{- define "ots.hpa" -}}
{{- if .Values.autoscaling.enabled -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "ots.fullname" . }}
  labels:
    {{- include "ots.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "ots.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: {{ .Values.autoscaling.scaleDownStabilizationSeconds }}
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end -}}
{{- end -}}

{{- define "ots.serviceMonitor" -}}
{{- if .Values.serviceMonitor.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "ots.fullname" . }}
  labels:
    {{- include "ots.labels" . | nindent 4 }}
    {{- with .Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "ots.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
      # the same job label as docker-compose's Prometheus (ots-<service>), so alerts on `up` and absent() work
      # on both; service and site come with every scraped series (the services' default metric labels)
      relabelings:
        - targetLabel: job
          replacement: ots-{{ include "ots.component" . }}
{{- end -}}
{{- end -}}
