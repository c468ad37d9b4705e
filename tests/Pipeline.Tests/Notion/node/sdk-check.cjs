"use strict";
// Drives the fake Notion with the official SDK, @notionhq/client, and prints one JSON line of what it got.
// NotionSdkTests runs it (NODE_PATH points at the installed package) and checks every value in C#.
// Input: SDK_CHECK_INPUT (JSON); NOTION_TOKEN and NOTION_BASE_URL name the fake.

const {
  Client,
  APIResponseError,
  LogLevel,
  collectPaginatedAPI,
  isFullPage,
  isFullBlock,
  signWebhookPayload,
  verifyWebhookSignature,
} = require("@notionhq/client");

const plain = (richText) => richText.map((piece) => piece.plain_text).join("");

async function main() {
  const input = JSON.parse(process.env.SDK_CHECK_INPUT);
  const notion = new Client({
    auth: process.env.NOTION_TOKEN,
    baseUrl: process.env.NOTION_BASE_URL,
    notionVersion: input.version,
    logLevel: LogLevel.ERROR,
    retry: { maxRetries: 2, initialRetryDelayMs: 50, maxRetryDelayMs: 3000 },
  });

  const database = await notion.databases.retrieve({ database_id: input.databaseId });
  const dataSourceId = database.data_sources[0].id;
  const dataSource = await notion.dataSources.retrieve({ data_source_id: dataSourceId });

  const rows = await collectPaginatedAPI(notion.dataSources.query, {
    data_source_id: dataSourceId,
    filter: {
      and: [
        { property: "Status", status: { equals: "Queued" } },
        { timestamp: "last_edited_time", last_edited_time: { on_or_after: input.since } },
      ],
    },
    sorts: [{ property: "Name", direction: "ascending" }],
    page_size: 2,
  });

  const page = await notion.pages.retrieve({ page_id: input.pageId });
  const updated = await notion.pages.update({
    page_id: input.pageId,
    properties: {
      Status: { status: { name: "Claimed" } },
      Error: { rich_text: [{ type: "text", text: { content: "written by the SDK" } }] },
      "Retry Count": { number: 1 },
      Cost: { number: 0.5 },
      "YouTube URL": { url: "https://youtu.be/sdk" },
      Updated: { date: { start: "2026-05-01T12:00:00.000Z" } },
      "Auto Approve": { checkbox: true },
      Priority: { select: { name: "High" } },
    },
  });

  const blocks = await collectPaginatedAPI(notion.blocks.children.list, { block_id: input.pageId, page_size: 1 });
  const me = await notion.users.me({});

  let missing = null;
  try {
    await notion.pages.retrieve({ page_id: input.missingPageId });
  } catch (error) {
    missing = { api: APIResponseError.isAPIResponseError(error), code: error.code, status: error.status };
  }

  let invalid = null;
  try {
    await notion.pages.update({ page_id: input.pageId, properties: { Status: { status: { name: "No Such Status" } } } });
  } catch (error) {
    invalid = { api: APIResponseError.isAPIResponseError(error), code: error.code, status: error.status };
  }

  const signature = await signWebhookPayload({ body: input.webhookBody, verificationToken: input.webhookKey });
  const fakeSignatureValid = await verifyWebhookSignature({
    body: input.webhookBody,
    signature: input.fakeSignature,
    verificationToken: input.webhookKey,
  });

  console.log(
    JSON.stringify({
      dataSourceId,
      statusType: dataSource.properties.Status.type,
      rows: rows.map((row) => ({ id: row.id, full: isFullPage(row), name: plain(row.properties.Name.title) })),
      page: {
        id: page.id,
        full: isFullPage(page),
        name: plain(page.properties.Name.title),
        status: page.properties.Status.status.name,
        topic: plain(page.properties.Topic.rich_text),
        inTrash: page.in_trash,
        parentType: page.parent.type,
      },
      updated: {
        status: updated.properties.Status.status.name,
        error: plain(updated.properties.Error.rich_text),
        cost: updated.properties.Cost.number,
        url: updated.properties["YouTube URL"].url,
        lastEditedTime: updated.last_edited_time,
      },
      blocks: blocks.map((block) => ({
        full: isFullBlock(block),
        type: block.type,
        text: plain(block[block.type].rich_text),
        language: block.type === "code" ? block.code.language : null,
      })),
      me: { id: me.id, type: me.type },
      missing,
      invalid,
      signature,
      fakeSignatureValid,
    }),
  );
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
