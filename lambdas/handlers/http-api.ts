import { handle } from 'hono/aws-lambda';
import { createPublicApp } from '../app/public-app.ts';

/** API Gateway HTTP API → the public Hono app. */
export const handler = handle(createPublicApp({}));
