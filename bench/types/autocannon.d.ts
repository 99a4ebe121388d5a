/*
 * autocannon ships no type definitions and installing @types/autocannon
 * is not worth a dependency for two benchmark scripts: this declares only
 * what bench/ uses.
 */
declare module 'autocannon' {
  export interface Options {
    url: string
    connections?: number
    duration?: number
    workers?: number
    headers?: Record<string, string>
    method?: string
    timeout?: number
  }

  export interface Histogram {
    average: number
    mean: number
    min: number
    max: number
    p50: number
    p90: number
    p99: number
    totalCount: number
  }

  export interface Result {
    'duration': number
    'errors': number
    'timeouts': number
    'non2xx': number
    '2xx': number
    'latency': Histogram
    'requests': Histogram & { sent: number }
  }

  export default function autocannon(options: Options): Promise<Result>
}
